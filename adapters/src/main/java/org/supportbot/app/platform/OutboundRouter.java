package org.supportbot.app.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.outbox.Delivery;

/**
 * Hands each of the desk's messages to the adapter of its platform: a Slack customer's case can
 * ping a triage channel on Discord when one process runs both. An adapter registers its outlet
 * once it is connected and reports each delivery sent or failed; a message for a platform no
 * adapter serves (yet) is reported failed, so the outbox keeps it and tries again after its backoff;
 * it is logged (platform and kind only) and counted.
 */
public final class OutboundRouter {
  private static final Logger LOG = LoggerFactory.getLogger(OutboundRouter.class);

  private final Map<String, Consumer<List<Delivery>>> outlets = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();

  /**
   * Registers where messages for {@code platform} go. The outlet must not block for long: it should
   * queue the messages on its adapter's own executor.
   */
  public void register(String platform, Consumer<List<Delivery>> outlet) {
    Objects.requireNonNull(outlet, "outlet");
    if (outlets.putIfAbsent(Objects.requireNonNull(platform, "platform"), outlet) != null) {
      throw new IllegalStateException("an adapter for " + platform + " is already registered");
    }
  }

  /** The platform a message goes to: its person's or its place's. */
  public static String platformOf(Outbound o) {
    return switch (o.to()) {
      case Outbound.ToPerson p -> p.person().platform();
      case Outbound.ToPlace p -> p.place().platform();
    };
  }

  /** Sends every message to its platform's outlet, keeping the order within each platform. */
  public void route(List<Delivery> out) {
    Map<String, List<Delivery>> byPlatform = new LinkedHashMap<>();
    for (Delivery d : out) {
      byPlatform.computeIfAbsent(platformOf(d.message()), p -> new ArrayList<>()).add(d);
    }
    byPlatform.forEach((platform, messages) -> {
      Consumer<List<Delivery>> outlet = outlets.get(platform);
      if (outlet == null) {
        dropped.addAndGet(messages.size());
        LOG.warn("no adapter for {} runs in this process (yet); {} message(s) ({}) kept in the outbox to try again;"
            + " configure {}: in the settings", platform, messages.size(), messages.getFirst().message().kind(), platform);
        messages.forEach(d -> d.notTried("no " + platform + " adapter"));
        return;
      }
      outlet.accept(messages);
    });
  }

  /** The messages of {@code out} for {@code platform}, in order; the others are routed to their platforms. */
  public List<Delivery> keep(String platform, List<Delivery> out) {
    List<Delivery> mine = new ArrayList<>();
    List<Delivery> others = new ArrayList<>();
    for (Delivery d : out) {
      (platform.equals(platformOf(d.message())) ? mine : others).add(d);
    }
    if (!others.isEmpty()) {
      route(others);
    }
    return mine;
  }

  /** Messages no adapter took because none serves their platform; each stays in the outbox and is tried again. */
  public long dropped() {
    return dropped.get();
  }
}
