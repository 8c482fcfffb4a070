package org.supportbot.core.inbox;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.conversation.Inbound;

/**
 * Port: the durable inbox. An adapter {@link #add adds} an inbound before it acknowledges the platform
 * request, so that an acknowledged request survives a crash; it then hands the inbound to the desk and
 * marks it {@link #done}. Entries still pending at start are handled first, in the order they were
 * added ({@link #pending}). A key is stored once: a retried or replayed delivery finds its first entry.
 *
 * <p>The inbox also keeps, per place (a channel or a thread), the last platform message it saw there
 * ({@link Seen}), so that after downtime the adapter reads the platform's history from that point on
 * and hands what was said meanwhile to the desk once (downtime backfill).
 */
public interface InboxStore {

  /**
   * How long a done entry is kept, so that a late replay of its key finds it; after that the desk's own
   * table of handled keys still refuses a second effect. Adapters {@link #prune} older entries at start.
   */
  java.time.Duration KEEP_DONE = java.time.Duration.ofDays(7);

  /**
   * Writes {@code in} durably with the adapter's {@code extra} (JSON the adapter needs to handle it, e.g.
   * a modal to open), and moves the {@code seen} mark forward in the same transaction.
   *
   * @return the entry; {@link Added#fresh()} is false when the key was already in the inbox
   */
  Added add(Inbound in, Optional<String> extra, Optional<Seen> seen);

  /** Entries of {@code platform} not yet done, oldest first, at most {@code limit}. */
  List<Pending> pending(String platform, int limit);

  /**
   * For a running instance, on every tick: renews the leases of the entries this instance holds, and leases
   * to it the pending entries of {@code platform} that another instance leased and did not renew (it died
   * or hangs) or that nobody holds, oldest first, at most {@code limit}. A store one process owns has no
   * such entries (its pending entries are read at start with {@link #pending}): it returns none.
   */
  default List<Pending> takeOver(String platform, int limit) {
    return List.of();
  }

  /**
   * Whether this instance may handle {@code entry} now, keeping the order of its conversation
   * ({@link Inbound#conversation}) across instances: true when no earlier entry of the conversation is
   * pending (one that failed before does not count) and no other live instance holds the conversation's turn;
   * this instance then holds the turn until it {@link #handOn hands it on}. When false, the entry is left to
   * the instance whose turn it is, which {@link #handOn hands it on} once done with the earlier one (or, if
   * that instance dies, to whichever instance {@link #takeOver takes it over} once its lease lapses). A store
   * one process owns keeps no turns (the process orders a conversation in memory): always true.
   */
  default boolean takeTurn(Pending entry) {
    return true;
  }

  /**
   * Marks the entry {@link #done} and hands its conversation's turn on: returns the conversation's next pending
   * entry, now leased to this instance, when no other live instance holds it (handle it next, in this order);
   * otherwise the turn is released and the holder of the next entry takes it. A store one process owns: as
   * {@link #done}, returning none.
   */
  default List<Pending> handOn(long id, Instant at) {
    done(id, at);
    return List.of();
  }

  /** The entry was handled (or given up on): it is no longer pending; a turn this instance held for it ends. */
  void done(long id, Instant at);

  /**
   * Handling the entry failed; it stays pending, and a turn this instance held for it ends (a failed entry no
   * longer holds up the later ones of its conversation). Returns the number of failed attempts so far.
   */
  int failed(long id);

  /** How many entries of {@code platform} are pending. */
  long pendingCount(String platform);

  /** Moves a place's mark forward; a position at or before the stored one changes nothing. */
  void seen(Seen mark);

  /** The last message seen at a place, if any. */
  Optional<String> lastSeen(String platform, String place);

  /** The open cases on {@code platform}: where their threads are, for reading back their history. */
  List<OpenCase> openCases(String platform);

  /** The channels of {@code platform} bound to an organization, as {@code workspace} and {@code channel}. */
  List<Bound> boundChannels(String platform);

  /** Deletes entries done before {@code before}; returns how many. Their keys are then known to the desk only. */
  int prune(Instant before);

  /** An entry as added: its id, and whether this call wrote it (false: the key was there already). */
  record Added(long id, boolean fresh, boolean pending) {}

  /** A pending entry: the inbound, the adapter's extra JSON, and how often handling it failed. */
  record Pending(long id, Inbound inbound, Optional<String> extra, int attempts) {
    public Pending {
      Objects.requireNonNull(inbound, "inbound");
      Objects.requireNonNull(extra, "extra");
      if (attempts < 0) {
        throw new IllegalArgumentException("attempts must be 0 or more, was " + attempts);
      }
    }
  }

  /**
   * The last platform message seen at a place. Positions compare as platform ids do: a longer id is
   * later, ids of equal length compare as text (Slack {@code ts} "1764000000.000100", Discord snowflakes).
   *
   * @param platform "slack", "discord"
   * @param place the adapter's name for the place, e.g. a channel id or {@code channel/thread_ts}
   * @param position the message's id or ts
   */
  record Seen(String platform, String place, String position) {
    public Seen {
      Objects.requireNonNull(platform, "platform");
      Objects.requireNonNull(place, "place");
      Objects.requireNonNull(position, "position");
      if (platform.isBlank() || place.isBlank() || position.isBlank()) {
        throw new IllegalArgumentException("a seen mark needs a platform, a place and a position; got platform \""
            + platform + "\", place \"" + place + "\", position \"" + position + "\"");
      }
    }

    /** Whether {@code a} is later than {@code b} in a platform's id order. */
    public static boolean later(String a, String b) {
      return a.length() != b.length() ? a.length() > b.length() : a.compareTo(b) > 0;
    }
  }

  /** An open case: its number, and the workspace and channel its thread is in; {@code thread} is the case's thread name. */
  record OpenCase(String number, String workspace, String channel, String thread) {
    public OpenCase {
      Objects.requireNonNull(number, "number");
      Objects.requireNonNull(workspace, "workspace");
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(thread, "thread");
    }
  }

  /** A bound channel. */
  record Bound(String workspace, String channel) {
    public Bound {
      Objects.requireNonNull(workspace, "workspace");
      Objects.requireNonNull(channel, "channel");
    }
  }
}
