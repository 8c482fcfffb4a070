/**
 * The desk on the web: the board, case pages, exports and reports, served by the bot itself on the
 * JDK's HTTP server and rendered by precompiled jte templates. People sign in with a one-time link
 * from {@code /board} in chat; what they see follows who they are in the directory.
 */
package org.supportbot.app.web;
