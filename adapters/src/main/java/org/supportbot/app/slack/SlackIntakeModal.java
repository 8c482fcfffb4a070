package org.supportbot.app.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.model.view.ViewState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.config.policy.ReportField;
import org.supportbot.config.policy.SupportPolicy;

/**
 * The intake as a Slack modal: one input per report question of the organization's policy, in
 * the policy's order, with menus for severities, categories, products and yes/no questions. The
 * submission becomes {@code Inbound.Submitted("intake", values)} keyed by the questions' ids; an
 * optional question left empty is answered "none", the intake's word for skipping it.
 */
public final class SlackIntakeModal {

  /** The modal's callback id, and the form name the desk receives. */
  public static final String CALLBACK = "intake";

  /** Where the modal was opened from, carried through Slack in the view's private_metadata. */
  public record Origin(String workspace, String channel, String messageTs) {
    public Origin {
      Objects.requireNonNull(workspace, "workspace");
      Objects.requireNonNull(channel, "channel");
      messageTs = messageTs == null ? "" : messageTs;
    }
  }

  static final int TITLE = 24;
  static final int LABEL = 2000;
  static final int OPTION_TEXT = 75;
  static final int OPTION_VALUE = 150;
  static final int INITIAL_VALUE = 3000;

  private final ObjectMapper json = new ObjectMapper();

  /**
   * The modal for {@code policy}; {@code prefill} gives initial values by question id (a message
   * turned into an intake prefills the description).
   */
  public String view(SupportPolicy policy, Origin origin, Map<String, String> prefill) {
    ObjectNode view = json.createObjectNode().put("type", "modal").put("callback_id", CALLBACK);
    view.putObject("title").put("type", "plain_text").put("text", SlackRenderer.cut("Support request", TITLE));
    view.putObject("submit").put("type", "plain_text").put("text", "File case");
    view.putObject("close").put("type", "plain_text").put("text", "Cancel");
    view.put("private_metadata", metadata(origin));
    ArrayNode blocks = view.putArray("blocks");
    for (ReportField field : policy.report()) {
      ObjectNode input = blocks.addObject().put("type", "input").put("block_id", field.id())
          .put("optional", !field.required());
      input.putObject("label").put("type", "plain_text").put("text", SlackRenderer.cut(field.prompt(), LABEL));
      List<String[]> options = options(policy, field);
      ObjectNode element = input.putObject("element");
      if (options.isEmpty()) {
        element.put("type", "plain_text_input").put("action_id", field.id())
            .put("multiline", field.kind() == ReportField.Kind.LONG_TEXT);
        String initial = prefill.get(field.id());
        if (initial != null && !initial.isBlank()) {
          element.put("initial_value", SlackRenderer.cut(initial, INITIAL_VALUE));
        }
      } else {
        element.put("type", "static_select").put("action_id", field.id());
        ArrayNode list = element.putArray("options");
        for (String[] o : options.subList(0, Math.min(100, options.size()))) {
          ObjectNode option = list.addObject();
          option.putObject("text").put("type", "plain_text").put("text", SlackRenderer.cut(o[1], OPTION_TEXT));
          option.put("value", SlackRenderer.cut(o[0], OPTION_VALUE));
        }
      }
    }
    return view.toString();
  }

  /** The answers of a submitted modal by question id; optional questions left empty read "none". */
  public Map<String, String> values(SupportPolicy policy, Map<String, Map<String, ViewState.Value>> state) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ReportField field : policy.report()) {
      Map<String, ViewState.Value> block = state == null ? null : state.get(field.id());
      ViewState.Value v = block == null ? null : block.get(field.id());
      String text = v == null ? null : v.getSelectedOption() != null ? v.getSelectedOption().getValue() : v.getValue();
      if (text == null || text.isBlank()) {
        if (!field.required()) {
          out.put(field.id(), "none");
        }
      } else {
        out.put(field.id(), text);
      }
    }
    return out;
  }

  /** Reads the origin back from a view's private_metadata. */
  public Optional<Origin> origin(String privateMetadata) {
    if (privateMetadata == null || privateMetadata.isBlank()) {
      return Optional.empty();
    }
    try {
      JsonNode n = json.readTree(privateMetadata);
      if (!n.hasNonNull("workspace") || !n.hasNonNull("channel")) {
        return Optional.empty();
      }
      return Optional.of(new Origin(n.get("workspace").asText(), n.get("channel").asText(), n.path("message").asText("")));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private String metadata(Origin origin) {
    return json.createObjectNode().put("workspace", origin.workspace()).put("channel", origin.channel())
        .put("message", origin.messageTs()).toString();
  }

  /** Value and label of each choice, or nothing for a free-text question. */
  private static List<String[]> options(SupportPolicy policy, ReportField field) {
    return switch (field.kind()) {
      case SEVERITY -> policy.severities().stream().map(s -> new String[] {s.id(), s.id() + " " + s.name()}).toList();
      case CATEGORY -> policy.categories().stream().map(c -> new String[] {c.id(), c.name()}).toList();
      case PRODUCT -> policy.versions().products().stream().map(p -> new String[] {p.id(), p.name()}).toList();
      case CHOICE -> field.choices().stream().map(c -> new String[] {c, c}).toList();
      case YES_NO -> List.of(new String[] {"yes", "Yes"}, new String[] {"no", "No"},
          new String[] {"sometimes", "Sometimes"});
      case TEXT, LONG_TEXT, PERCENT, VERSION, ATTACHMENT, INCIDENT_REFERENCE -> List.of();
    };
  }
}
