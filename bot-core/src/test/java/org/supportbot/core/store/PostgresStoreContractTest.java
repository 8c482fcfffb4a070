package org.supportbot.core.store;

import java.time.Clock;
import java.util.Optional;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.core.store.postgres.PostgresDeskStores;
import org.supportbot.core.testing.PostgresCluster;

/** The store contract on a real PostgreSQL server (a throw-away cluster of this machine's binaries). */
class PostgresStoreContractTest extends StoreContract {
  private PostgresLocation desk;

  @Override
  DeskStores open(Clock clock) {
    if (desk == null) {
      desk = PostgresCluster.shared().newDatabase();
    }
    return new PostgresDeskStores(PostgresDatabase.open(desk, Optional.of(PostgresCluster.shared().password()),
        Optional.of("test")), clock);
  }

  @Override
  void forget() {
    desk = null;
  }
}
