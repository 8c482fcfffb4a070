package org.supportbot.config.policy;

import java.time.LocalDate;
import java.time.Period;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Which releases are supported, and how.
 *
 * @param anchor what the support periods count from
 * @param fullSupport how long full support lasts after the anchor
 * @param limitedSupport how long limited support lasts after full support ends
 * @param limitedScope what limited support consists of, quoted to the customer
 * @param supportedReleases how many of the newest releases are supported (Resource Optimizer: 2 for "N-1"); 0 means no such limit
 * @param products the vendor's products and their releases, when known
 */
public record VersionSupport(
    Anchor anchor,
    Period fullSupport,
    Period limitedSupport,
    String limitedScope,
    int supportedReleases,
    List<Product> products) {

  /** What support periods count from. */
  public enum Anchor {
    /** The product release date (Atomrock: 24 months after release). */
    RELEASE_DATE,
    /** The end-of-life notice (Resource Optimizer: 6 months after the notice). */
    END_OF_LIFE_NOTICE,
    /** No periods: every listed release is supported. */
    NONE
  }

  /** How well a release is supported on a given date. */
  public enum Status {
    FULL,
    LIMITED,
    UNSUPPORTED,
    UNKNOWN
  }

  /** The status of a release on a date, with the reason to show. */
  public record Verdict(Status status, String reason) {}

  public VersionSupport {
    Objects.requireNonNull(anchor, "anchor");
    fullSupport = fullSupport == null ? Period.ZERO : fullSupport;
    limitedSupport = limitedSupport == null ? Period.ZERO : limitedSupport;
    limitedScope = limitedScope == null ? "" : limitedScope;
    products = List.copyOf(products);
    if (supportedReleases < 0) {
      throw new IllegalArgumentException("supported releases cannot be negative: " + supportedReleases);
    }
  }

  /** A product and its releases. */
  public record Product(String id, String name, List<Release> releases) {
    public Product {
      Objects.requireNonNull(id, "id");
      name = name == null ? id : name;
      releases = List.copyOf(releases);
    }
  }

  /** One release; {@code endOfLifeNotice} is null while no notice has been given. */
  public record Release(String version, LocalDate released, LocalDate endOfLifeNotice) {
    public Release {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(released, "released");
    }
  }

  /** Decides how a release of a product is supported on {@code today}. */
  public Verdict verdict(String productId, String version, LocalDate today) {
    Product product = products.stream().filter(p -> p.id().equalsIgnoreCase(productId)).findFirst().orElse(null);
    if (product == null) {
      return new Verdict(Status.UNKNOWN, "no release list is configured for product \"" + productId + "\"");
    }
    Release release = product.releases().stream().filter(r -> r.version().equals(version)).findFirst().orElse(null);
    if (release == null) {
      return new Verdict(Status.UNKNOWN, product.name() + " has no release \"" + version + "\"; known releases: "
          + product.releases().stream().map(Release::version).toList());
    }
    if (supportedReleases > 0) {
      List<Release> newest = product.releases().stream()
          .filter(r -> !r.released().isAfter(today))
          .sorted(Comparator.comparing(Release::released).reversed())
          .limit(supportedReleases)
          .toList();
      if (!newest.contains(release)) {
        return new Verdict(Status.UNSUPPORTED, product.name() + " " + version + " is older than the "
            + supportedReleases + " newest releases that are supported; please upgrade");
      }
    }
    LocalDate start = switch (anchor) {
      case RELEASE_DATE -> release.released();
      case END_OF_LIFE_NOTICE -> release.endOfLifeNotice();
      case NONE -> null;
    };
    if (start == null) {
      return new Verdict(Status.FULL, product.name() + " " + version + " is supported");
    }
    LocalDate fullEnds = start.plus(fullSupport);
    LocalDate limitedEnds = fullEnds.plus(limitedSupport);
    if (today.isBefore(fullEnds)) {
      return new Verdict(Status.FULL, product.name() + " " + version + " is supported until " + fullEnds);
    }
    if (today.isBefore(limitedEnds)) {
      return new Verdict(Status.LIMITED, product.name() + " " + version + " has limited support until " + limitedEnds
          + ": " + limitedScope);
    }
    return new Verdict(Status.UNSUPPORTED, product.name() + " " + version + " reached end of support on " + limitedEnds
        + "; please upgrade to a supported release");
  }
}
