package org.supportbot.kb.ingest;

import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * HTML and Markdown to plain text. Code blocks and inline code keep their characters, so an error
 * string or file path in them stays searchable token for token.
 */
public final class TextExtraction {
  private static final Pattern MD_IMAGE = Pattern.compile("!\\[([^\\]]*)]\\(([^)]*)\\)");
  private static final Pattern MD_LINK = Pattern.compile("\\[([^\\]]+)]\\(([^)\\s]*)[^)]*\\)");
  private static final Pattern MD_HEADING = Pattern.compile("(?m)^\\s{0,3}#{1,6}\\s*");
  private static final Pattern MD_FENCE = Pattern.compile("(?m)^\\s*(```|~~~)[\\w+-]*\\s*$");
  private static final Pattern MD_EMPHASIS = Pattern.compile("(\\*\\*|__|(?<![\\w*])\\*(?=\\S)|(?<=\\S)\\*(?![\\w*]))");
  private static final Pattern MD_QUOTE = Pattern.compile("(?m)^\\s*>\\s?");
  private static final Pattern MD_LIST = Pattern.compile("(?m)^\\s*([-*+]|\\d+\\.)\\s+");
  private static final Pattern WS = Pattern.compile("[ \\t\\x0B\\f]+");
  private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n+");

  private TextExtraction() {}

  /**
   * Text of Discourse "cooked" HTML: block elements become line breaks, quotes of earlier posts are
   * dropped (they repeat other posts), entities are decoded.
   */
  public static String htmlToText(String html) {
    if (html == null || html.isBlank()) {
      return "";
    }
    Document doc = Jsoup.parseBodyFragment(html);
    doc.select("aside.quote, .meta, script, style").remove();
    for (Element block : doc.select("p, div, pre, li, h1, h2, h3, h4, h5, h6, tr, blockquote, br")) {
      block.after("\n");
    }
    for (Element a : doc.select("a[href]")) {
      String href = a.attr("href");
      if (!href.isBlank() && !a.text().equals(href) && href.startsWith("http")) {
        a.appendText(" (" + href + ")");
      }
    }
    return tidy(doc.body().wholeText());
  }

  /** Text of a Markdown body: markup removed, link targets and code kept. */
  public static String markdownToText(String markdown) {
    if (markdown == null || markdown.isBlank()) {
      return "";
    }
    String s = markdown.replace("\r\n", "\n");
    s = MD_FENCE.matcher(s).replaceAll("");
    s = MD_IMAGE.matcher(s).replaceAll("$1");
    s = MD_LINK.matcher(s).replaceAll("$1 ($2)");
    s = MD_HEADING.matcher(s).replaceAll("");
    s = MD_QUOTE.matcher(s).replaceAll("");
    s = MD_LIST.matcher(s).replaceAll("");
    s = MD_EMPHASIS.matcher(s).replaceAll("");
    s = s.replace("`", "");
    return tidy(s);
  }

  private static String tidy(String text) {
    String s = WS.matcher(text.replace('\u00a0', ' ')).replaceAll(" ");
    s = BLANK_LINES.matcher(s).replaceAll("\n");
    StringBuilder out = new StringBuilder(s.length());
    for (String line : s.split("\n")) {
      String t = line.strip();
      if (!t.isEmpty()) {
        if (!out.isEmpty()) {
          out.append('\n');
        }
        out.append(t);
      }
    }
    return out.toString();
  }
}
