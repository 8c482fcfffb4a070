package org.supportbot.core.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.DirectoryStore;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;

/**
 * {@link DirectoryStore} on either database; the SQL is the same on SQLite and PostgreSQL. A desk one process
 * owns ({@link #owned}) caches organizations, channel bindings and contacts, since every change goes through
 * it. A desk several instances share ({@link #shared}) caches nothing, since another instance may change the
 * directory, and adds a contact under a row lock on its organization, so that two instances cannot both pass
 * the contact limit.
 */
public final class JdbcDirectoryStore implements DirectoryStore {
  private record ChannelKey(String platform, String workspace, String channel) {}

  private record ContactKey(String organizationId, Identity identity) {}

  private final JdbcDatabase db;
  private final boolean shared;
  private final ObjectMapper mapper = new ObjectMapper().registerModule(new Jdk8Module()).registerModule(new JavaTimeModule());
  private final Cache<String, Optional<Organization>> byId;
  private final Cache<ChannelKey, Optional<Organization>> byChannel;
  private final Cache<ContactKey, Optional<Contact>> contacts;

  private JdbcDirectoryStore(JdbcDatabase db, boolean shared) {
    this.db = Objects.requireNonNull(db, "db");
    this.shared = shared;
    this.byId = shared ? null : Caffeine.newBuilder().maximumSize(10_000).build();
    this.byChannel = shared ? null : Caffeine.newBuilder().maximumSize(10_000).build();
    this.contacts = shared ? null : Caffeine.newBuilder().maximumSize(100_000).build();
  }

  /** The directory of a desk this process alone writes (a SQLite file): reads are cached. */
  public static JdbcDirectoryStore owned(JdbcDatabase db) {
    return new JdbcDirectoryStore(db, false);
  }

  /** The directory of a desk several instances share (PostgreSQL): nothing is cached. */
  public static JdbcDirectoryStore shared(JdbcDatabase db) {
    return new JdbcDirectoryStore(db, true);
  }

  private <K, V> V cached(Cache<K, V> cache, K key, Function<K, V> read) {
    return cache == null ? read.apply(key) : cache.get(key, read);
  }

  @Override
  public void saveOrganization(Organization org) {
    try {
      db.write(c -> {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO organizations (id, org_key, body) VALUES (?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET org_key = excluded.org_key, body = excluded.body")) {
          ps.setString(1, org.id());
          ps.setString(2, org.key());
          ps.setString(3, mapper.writeValueAsString(org));
          return ps.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException("cannot serialize organization " + org.id(), e);
        }
      });
    } finally {
      if (!shared) {
        byId.invalidateAll();
        byChannel.invalidateAll();
      }
    }
  }

  @Override
  public Optional<Organization> organization(String id) {
    return cached(byId, id, k -> db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT body FROM organizations WHERE id = ?")) {
        ps.setString(1, k);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(parse(rs.getString(1))) : Optional.empty();
        }
      }
    }));
  }

  @Override
  public void bindChannel(String platform, String workspace, String channel, String organizationId) {
    try {
      db.write(c -> {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO channel_bindings (platform, workspace, channel,"
            + " organization_id) VALUES (?, ?, ?, ?) ON CONFLICT (platform, workspace, channel) DO UPDATE SET"
            + " organization_id = excluded.organization_id")) {
          ps.setString(1, platform);
          ps.setString(2, workspace);
          ps.setString(3, channel);
          ps.setString(4, organizationId);
          return ps.executeUpdate();
        }
      });
    } finally {
      if (!shared) {
        byChannel.invalidate(new ChannelKey(platform, workspace, channel));
      }
    }
  }

  @Override
  public Optional<Organization> organizationByChannel(String platform, String workspace, String channel) {
    return cached(byChannel, new ChannelKey(platform, workspace, channel), k -> db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT o.body FROM channel_bindings b JOIN organizations o"
          + " ON o.id = b.organization_id WHERE b.platform = ? AND b.workspace = ? AND b.channel = ?")) {
        ps.setString(1, k.platform());
        ps.setString(2, k.workspace());
        ps.setString(3, k.channel());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(parse(rs.getString(1))) : Optional.empty();
        }
      }
    }));
  }

  @Override
  public List<Bound> channels() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT b.platform, b.workspace, b.channel, o.body"
          + " FROM channel_bindings b JOIN organizations o ON o.id = b.organization_id"
          + " ORDER BY b.platform, b.workspace, b.channel");
          ResultSet rs = ps.executeQuery()) {
        List<Bound> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new Bound(rs.getString(1), rs.getString(2), rs.getString(3), parse(rs.getString(4))));
        }
        return out;
      }
    });
  }

  @Override
  public OptionalInt addContact(Contact contact, OptionalInt limit) {
    try {
      return db.write(c -> {
        if (shared) { // one SQLite file has one writer; on a shared database, count under the organization's row lock
          try (PreparedStatement lock = c.prepareStatement("SELECT id FROM organizations WHERE id = ? FOR UPDATE")) {
            lock.setString(1, contact.organizationId());
            lock.executeQuery().close();
          }
        }
        int count;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM contacts WHERE organization_id = ?")) {
          ps.setString(1, contact.organizationId());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            count = rs.getInt(1);
          }
        }
        if (limit.isPresent() && count >= limit.getAsInt()) {
          return OptionalInt.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO contacts (organization_id, identity, name)"
            + " VALUES (?, ?, ?) ON CONFLICT (organization_id, identity) DO NOTHING")) {
          ps.setString(1, contact.organizationId());
          ps.setString(2, contact.identity().toString());
          ps.setString(3, contact.name());
          count += ps.executeUpdate();
        }
        return OptionalInt.of(count);
      });
    } finally {
      if (!shared) {
        contacts.invalidate(new ContactKey(contact.organizationId(), contact.identity()));
      }
    }
  }

  @Override
  public List<Contact> contacts(String organizationId) {
    return db.read(c -> {
      // byte order on both databases (PostgreSQL's default collation would follow the locale)
      try (PreparedStatement ps = c.prepareStatement("SELECT identity, name FROM contacts WHERE organization_id = ?"
          + " ORDER BY identity" + (shared ? " COLLATE \"C\"" : ""))) {
        ps.setString(1, organizationId);
        List<Contact> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Contact(organizationId, Identity.parse(rs.getString(1)), rs.getString(2)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Optional<Contact> contact(String organizationId, Identity identity) {
    return cached(contacts, new ContactKey(organizationId, identity), k -> db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT name FROM contacts WHERE organization_id = ? AND identity = ?")) {
        ps.setString(1, k.organizationId());
        ps.setString(2, k.identity().toString());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new Contact(k.organizationId(), k.identity(), rs.getString(1))) : Optional.empty();
        }
      }
    }));
  }

  @Override
  public void saveEngineer(Engineer engineer) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO engineers (identity, name, role) VALUES (?, ?, ?)"
          + " ON CONFLICT (identity) DO UPDATE SET name = excluded.name, role = excluded.role")) {
        ps.setString(1, engineer.identity().toString());
        ps.setString(2, engineer.name());
        ps.setString(3, engineer.role().name());
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public Optional<Engineer> engineer(Identity identity) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT name, role FROM engineers WHERE identity = ?")) {
        ps.setString(1, identity.toString());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? Optional.of(new Engineer(identity, rs.getString(1), Engineer.Role.valueOf(rs.getString(2))))
              : Optional.empty();
        }
      }
    });
  }

  private Organization parse(String body) {
    try {
      return mapper.readValue(body, Organization.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a stored organization is unreadable: " + e.getOriginalMessage(), e);
    }
  }
}
