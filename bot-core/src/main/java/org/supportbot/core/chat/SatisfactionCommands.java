package org.supportbot.core.chat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.supportbot.core.chatstate.ConversationStore.Rating;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.incident.IncidentState;

/**
 * Satisfaction after resolve: when a case is resolved its thread gets one question with the buttons
 * 1 (poor) to 5 (excellent); a named contact of the case's organization answers with a button or
 * with {@code /rate [CASE] SCORE [comment]}. One rating per case: a later answer replaces the
 * earlier score, and its comment the earlier comment when it has one. A rating counts for the
 * case's owner, or else for who resolved it, and for the month (in the digest's time zone) it was
 * given in; {@code /report satisfaction [YYYY-MM]} and the daily digest report them.
 */
final class SatisfactionCommands {
  /** The buttons of the question; the value is the case and the score, {@code ACME-42:4}. */
  static final String RATE = "case.rate";

  private final DeskContext desk;

  SatisfactionCommands(DeskContext desk) {
    this.desk = desk;
  }

  /** The question in case {@code s}'s thread when it is resolved. */
  static Outbound question(IncidentSnapshot s) {
    return Outbound.toPlace(CaseViews.thread(s), Outbound.Kind.NOTICE)
        .text(s.reporter(), ", how satisfied are you with how " + s.number() + " was handled? Press 1 (poor) to 5"
            + " (excellent). To add a comment, write /rate " + s.number() + " with the score and your comment.")
        .actions(IntStream.rangeClosed(1, 5).mapToObj(i -> new Outbound.Action(RATE, String.valueOf(i),
            s.number() + ":" + i, false)).toArray(Outbound.Action[]::new))
        .build();
  }

  /** A press of the question's button {@code value} ({@code ACME-42:4}): the case and the score it names. */
  static Optional<Map.Entry<String, Integer>> pressed(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0 || !value.substring(colon + 1).matches("[1-5]")) {
      return Optional.empty();
    }
    return Optional.of(Map.entry(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1))));
  }

  /** {@code who} rates case {@code s} (which they may act on) {@code score}, with {@code comment} (may be empty). */
  void rate(Who who, IncidentSnapshot s, int score, String comment, Step step) {
    String n = s.number().toString();
    if (!who.contact()) {
      String org = desk.directory.store().organization(s.organizationId()).map(Organization::name)
          .orElse(s.organizationId());
      step.out.add(desk.reply(who, "Nothing recorded: the rating of " + n + " is for " + org + "'s named contacts to"
          + " give."));
      return;
    }
    if (s.state() != IncidentState.RESOLVED && s.state() != IncidentState.CLOSED) {
      step.out.add(desk.reply(who, "Nothing recorded: " + n + " is " + s.state().label() + "; a case can be rated"
          + (s.state().active() ? " once it is resolved." : " when it was resolved or closed, not dropped.")));
      return;
    }
    Optional<Rating> earlier = desk.conversations.rating(n);
    String clean = comment.isBlank() ? earlier.map(Rating::comment).orElse("")
        : desk.clean(who, s, comment.strip(), "your rating of " + n, step);
    desk.conversations.rate(new Rating(n, s.organizationId(), engineer(s), score, clean, who.in().person(),
        desk.clock.instant()));
    step.out.add(desk.reply(who, "Thank you: " + n + " is rated " + score + " of 5"
        + earlier.map(e -> " (it was " + e.score() + " of 5)").orElse("")
        + (!comment.isBlank() ? ", with your comment."
            : clean.isEmpty() ? ". To add a comment, write /rate " + n + " " + score + " followed by it."
            : ", with your earlier comment.")));
    step.out.add(Outbound.toPlace(desk.settings.triage(), Outbound.Kind.NOTICE)
        .text(who.in().person(), " rated ", new Span.Strong(n), " " + score + " of 5"
            + (clean.isEmpty() ? "." : ": " + clean))
        .build());
  }

  /** Whom a rating of {@code s} counts for: its owner, or else who resolved it last. */
  private Optional<Identity> engineer(IncidentSnapshot s) {
    if (s.claimedBy().isPresent()) {
      return s.claimedBy();
    }
    Optional<Identity> resolver = Optional.empty();
    for (IncidentEvent e : desk.incidents.log(s.number())) {
      if (e instanceof IncidentEvent.Resolved r && !r.origin().actor().identity().equals(Identity.SYSTEM)) {
        resolver = Optional.of(r.origin().actor().identity());
      }
    }
    return resolver;
  }

  /** {@code /report satisfaction [YYYY-MM]}: the month's ratings, by organization and by engineer, and the comments. */
  Outbound report(Who who, Optional<YearMonth> asked) {
    ZoneId zone = desk.settings.digestZone();
    YearMonth month = asked.orElse(YearMonth.now(desk.clock.withZone(zone)));
    List<Rating> all = ratings(month);
    Outbound.Builder b = Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person());
    if (all.isEmpty()) {
      return b.text("No satisfaction ratings in " + month + " (months in " + zone.getId() + ").").build();
    }
    b.text("Satisfaction in " + month + " (months in " + zone.getId() + "): " + summary(all) + ".");
    b.text("By organization:");
    Map<String, List<Rating>> byOrg = new LinkedHashMap<>();
    all.stream().sorted(Comparator.comparing(r -> orgName(r.organizationId())))
        .forEach(r -> byOrg.computeIfAbsent(r.organizationId(), k -> new ArrayList<>()).add(r));
    byOrg.forEach((org, list) -> b.fact(orgName(org), summary(list)));
    b.text("By engineer:");
    Map<Optional<Identity>, List<Rating>> byEngineer = new LinkedHashMap<>();
    all.stream().sorted(Comparator.comparing(r -> r.engineer().map(Identity::toString).orElse("~")))
        .forEach(r -> byEngineer.computeIfAbsent(r.engineer(), k -> new ArrayList<>()).add(r));
    byEngineer.forEach((engineer, list) -> {
      if (engineer.isPresent()) {
        b.text(engineer.get(), ": " + summary(list));
      } else {
        b.text("nobody (resolved automatically): " + summary(list));
      }
    });
    List<Rating> commented = all.stream().filter(r -> !r.comment().isEmpty()).toList();
    if (!commented.isEmpty()) {
      b.text("Comments:");
      commented.forEach(r -> b.text(r.incident() + " (" + r.score() + " of 5): " + r.comment()));
    }
    return b.build();
  }

  /** The digest's line: this month's ratings so far, when there are any. */
  List<String> digestLines(Instant now) {
    YearMonth month = YearMonth.from(now.atZone(desk.settings.digestZone()));
    List<Rating> all = ratings(month);
    if (all.isEmpty()) {
      return List.of();
    }
    Rating lowest = all.stream().min(Comparator.comparingInt(Rating::score)).orElseThrow();
    return List.of("Satisfaction in " + month + " so far: " + summary(all) + "; lowest " + lowest.incident() + " ("
        + lowest.score() + " of 5). /report satisfaction has the detail.");
  }

  private List<Rating> ratings(YearMonth month) {
    ZoneId zone = desk.settings.digestZone();
    return desk.conversations.ratings(month.atDay(1).atStartOfDay(zone).toInstant(),
        month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
  }

  private String orgName(String organizationId) {
    return desk.directory.store().organization(organizationId).map(Organization::name).orElse(organizationId);
  }

  private static String summary(List<Rating> ratings) {
    double average = ratings.stream().mapToInt(Rating::score).average().orElseThrow();
    return ratings.size() + (ratings.size() == 1 ? " rating" : " ratings") + ", average "
        + String.format(Locale.ROOT, "%.1f", average) + " of 5";
  }
}
