package org.supportbot.core.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.supportbot.core.directory.DirectoryStore;

/**
 * A directory store that a test can hold: while held, every lookup of a channel's organization (the
 * first thing the desk does with an inbound) waits until released, so a test can keep an inbound in
 * flight at an exact moment (e.g. while an adapter starts closing). Everything else goes straight to
 * the real store.
 */
public final class HeldDirectoryStore {
  private final DirectoryStore store;
  private volatile CountDownLatch gate;
  private final AtomicInteger waiting = new AtomicInteger();

  private HeldDirectoryStore(DirectoryStore real) {
    this.store = (DirectoryStore) Proxy.newProxyInstance(DirectoryStore.class.getClassLoader(),
        new Class<?>[] {DirectoryStore.class}, (proxy, method, args) -> {
          CountDownLatch g = gate;
          if (g != null && method.getName().equals("organizationByChannel")) {
            waiting.incrementAndGet();
            try {
              g.await();
            } finally {
              waiting.decrementAndGet();
            }
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  public static HeldDirectoryStore wrap(DirectoryStore real) {
    return new HeldDirectoryStore(real);
  }

  /** The store to give the desk. */
  public DirectoryStore store() {
    return store;
  }

  /** From now on, channel lookups wait. */
  public void hold() {
    gate = new CountDownLatch(1);
  }

  /** Lets every waiting and later lookup through. */
  public void release() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  /** How many lookups are waiting now. */
  public int waiting() {
    return waiting.get();
  }
}
