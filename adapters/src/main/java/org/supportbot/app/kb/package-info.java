/**
 * The {@code supportbot kb} commands: build and sync the knowledge base, search it, evaluate it
 * on labelled questions, record feedback and report deflection.
 */
package org.supportbot.app.kb;
