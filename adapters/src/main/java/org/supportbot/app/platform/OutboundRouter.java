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

/**
 * Hands each of the desk's messages to the adapter of its platform: a Slack customer's case can
 * ping a triage channel on Discord when one process runs both. An adapter registers its outlet
 * once it is connected; a message for a platform no adapter serves is dropped, logged (platform and
 * kind only) and counted.
 */
public final class OutboundRouter {
  private static final Logger LOG = LoggerFactory.getLogger(OutboundRouter.class);

  private final Map<String, Consumer<List<Outbound>>> outlets = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();

  /**
   * Registers where messages for {@code platform} go. The outlet must not block for long: it should
   * queue the messages on its adapter's own executor.
   */
  public void register(String platform, Consumer<List<Outbound>> outlet) {
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
  public void route(List<Outbound> out) {
    Map<String, List<Outbound>> byPlatform = new LinkedHashMap<>();
    for (Outbound o : out) {
      byPlatform.computeIfAbsent(platformOf(o), p -> new ArrayList<>()).add(o);
    }
    byPlatform.forEach((platform, messages) -> {
      Consumer<List<Outbound>> outlet = outlets.get(platform);
      if (outlet == null) {
        dropped.addAndGet(messages.size());
        LOG.warn("no adapter for {} runs in this process; {} message(s) ({}) not sent; configure {}: in the settings",
            platform, messages.size(), messages.getFirst().kind(), platform);
        return;
      }
      outlet.accept(messages);
    });
  }

  /** The messages of {@code out} for {@code platform}, in order; the others are routed to their platforms. */
  public List<Outbound> keep(String platform, List<Outbound> out) {
    List<Outbound> mine = new ArrayList<>();
    List<Outbound> others = new ArrayList<>();
    for (Outbound o : out) {
      (platform.equals(platformOf(o)) ? mine : others).add(o);
    }
    if (!others.isEmpty()) {
      route(others);
    }
    return mine;
  }

  /** Messages dropped because no adapter serves their platform. */
  public long dropped() {
    return dropped.get();
  }
}
