package org.supportbot.core.store.sqlite;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentOutcome;

/** JSON form of events, outcomes, snapshots, inbound and outbound messages; the domain types carry no serialization annotations. */
public final class JsonCodec {
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  private abstract static class Typed {}

  private final ObjectMapper mapper;

  public JsonCodec() {
    mapper = new ObjectMapper()
        .registerModule(new Jdk8Module())
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    for (Class<?> root : new Class<?>[] {IncidentEvent.class, IncidentOutcome.class, Outbound.Target.class,
        Outbound.Block.class, Span.class, Inbound.Input.class}) {
      mapper.addMixIn(root, Typed.class);
      for (Class<?> sub : root.getPermittedSubclasses()) {
        mapper.registerSubtypes(new NamedType(sub, sub.getSimpleName()));
      }
    }
  }

  public String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a " + value.getClass().getSimpleName(), e);
    }
  }

  public <T> T read(String json, Class<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored " + type.getSimpleName() + " is unreadable: " + e.getOriginalMessage(), e);
    }
  }
}
