/**
 * The PostgreSQL implementation of the store ports, for a desk that outgrew one SQLite file or runs
 * several instances on one database: a small connection pool (HikariCP), schema by Flyway
 * ({@code db/postgresql}), ids from sequences, and leases on inbox entries, due timers and outbox lanes
 * so that each is worked on by one instance at a time and taken over when that instance's lease lapses.
 */
package org.supportbot.core.store.postgres;
