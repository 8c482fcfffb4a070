/** {@code supportbot db}: moving a desk's database (SQLite to PostgreSQL). */
package org.supportbot.app.db;
