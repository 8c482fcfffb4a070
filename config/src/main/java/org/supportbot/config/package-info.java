/**
 * Typed configuration of the desk. Support policies live in {@code policy}, support hours in
 * {@code calendar}, and {@code load} reads both from YAML with collected, located errors.
 */
package org.supportbot.config;
