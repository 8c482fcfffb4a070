package org.supportbot.core.store;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteDeskStores;

/** The store contract on a real SQLite file. */
class SqliteStoreContractTest extends StoreContract {
  @TempDir Path dir;
  private int desks;

  @Override
  DeskStores open(Clock clock) {
    return new SqliteDeskStores(SqliteDatabase.open(dir.resolve("desk" + desks + ".db"),
        SqliteDatabase.Durability.NORMAL), clock);
  }

  @Override
  void forget() {
    desks++;
  }
}
