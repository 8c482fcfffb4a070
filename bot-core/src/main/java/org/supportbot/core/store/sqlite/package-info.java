/**
 * The embedded SQLite implementation of the store ports: one database file in WAL mode, one
 * writer connection, schema migrated by Flyway, hot reads cached by Caffeine and invalidated on every write.
 */
package org.supportbot.core.store.sqlite;
