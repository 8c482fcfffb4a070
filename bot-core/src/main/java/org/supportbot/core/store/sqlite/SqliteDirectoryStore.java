package org.supportbot.core.store.sqlite;

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
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.DirectoryStore;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;

/** {@link DirectoryStore} on SQLite; organizations and organization-by-channel reads are cached. */
public final class SqliteDirectoryStore implements DirectoryStore {
  private record ChannelKey(String platform, String workspace, String channel) {}

  private final SqliteDatabase db;
  private final ObjectMapper mapper = new ObjectMapper().registerModule(new Jdk8Module()).registerModule(new JavaTimeModule());
  private final Cache<String, Optional<Organization>> byId = Caffeine.newBuilder().maximumSize(10_000).build();
  private final Cache<ChannelKey, Optional<Organization>> byChannel = Caffeine.newBuilder().maximumSize(10_000).build();

  public SqliteDirectoryStore(SqliteDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
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
      byId.invalidateAll();
      byChannel.invalidateAll();
    }
  }

  @Override
  public Optional<Organization> organization(String id) {
    return byId.get(id, k -> db.read(c -> {
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
      byChannel.invalidate(new ChannelKey(platform, workspace, channel));
    }
  }

  @Override
  public Optional<Organization> organizationByChannel(String platform, String workspace, String channel) {
    return byChannel.get(new ChannelKey(platform, workspace, channel), k -> db.read(c -> {
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
        List<Bound> out = new java.util.ArrayList<>();
        while (rs.next()) {
          out.add(new Bound(rs.getString(1), rs.getString(2), rs.getString(3), parse(rs.getString(4))));
        }
        return out;
      }
    });
  }

  @Override
  public OptionalInt addContact(Contact contact, OptionalInt limit) {
    return db.write(c -> {
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
  }

  @Override
  public List<Contact> contacts(String organizationId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT identity, name FROM contacts WHERE organization_id = ?"
          + " ORDER BY identity")) {
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
    return db.read(c -> {
      PreparedStatement ps = db.prepared(c, "SELECT name FROM contacts WHERE organization_id = ? AND identity = ?");
      ps.setString(1, organizationId);
      ps.setString(2, identity.toString());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Contact(organizationId, identity, rs.getString(1))) : Optional.empty();
      }
    });
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
