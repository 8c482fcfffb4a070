package org.supportbot.kb.ingest;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * HTML and Markdown to plain text. Code blocks and inline code keep their characters, so an error
 * string or file path in them stays searchable token for token.
 */
public final class TextExtraction {
  /** CommonMark parser; immutable and safe to share between indexing threads. */
  private static final Parser MARKDOWN = Parser.builder().build();

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

  /**
   * Text of a Markdown body (CommonMark): markup removed; link targets kept after their text;
   * images give their alternative text; code blocks, inline code and raw HTML keep every
   * character (only runs of spaces are later collapsed, as in all text).
   */
  public static String markdownToText(String markdown) {
    if (markdown == null || markdown.isBlank()) {
      return "";
    }
    String plain = tidyWithoutMarkup(markdown);
    return plain != null ? plain : parsed(markdown); // without markup: what the parser would give
  }

  /** Text of a Markdown body through the CommonMark parser, whatever it holds. */
  static String parsed(String markdown) {
    PlainText text = new PlainText(markdown.length());
    MARKDOWN.parse(markdown).accept(text);
    return tidy(text.out.toString());
  }

  /** Characters that may be Markdown syntax anywhere in a line (or that the parser rewrites). */
  private static final boolean[] MARKUP = new boolean[128];

  static {
    for (char c : "\\`*_[]<>&#=~\r\0".toCharArray()) {
      MARKUP[c] = true;
    }
  }

  /**
   * {@link #tidy} of a text that holds no Markdown syntax at all, whose text is then itself once
   * tidied (a parse would give its paragraphs line by line, and tidying drops the blank lines and
   * white space the parse drops); null as soon as the text shows it may hold some: any of {@code
   * \\ ` * _ [ ] < > & # = ~}, a carriage return or NUL, or a line whose first character (after
   * spaces and tabs) is {@code -}, {@code +} or a digit (a list item, setext underline or thematic
   * break). Plain prose passes in the one pass that tidies it; most articles with any formatting go
   * to the parser. {@code TextExtractionTest} compares both on random text.
   */
  static String tidyWithoutMarkup(String text) {
    return tidy(text, true);
  }

  /** A buffer of each thread for {@link #tidy}, kept when under 64K chars: only the result is allocated per text. */
  private static final ThreadLocal<char[][]> SCRATCH = ThreadLocal.withInitial(() -> new char[][] {new char[4096]});

  private static char[] scratch(int length) {
    char[][] holder = SCRATCH.get();
    if (holder[0].length >= length) {
      return holder[0];
    }
    char[] bigger = new char[length];
    if (length <= 1 << 16) {
      holder[0] = bigger;
    }
    return bigger;
  }

  /** Classes of ASCII chars for {@link #tidy}: copied as they are, white space within a line, line break, Markdown syntax. */
  private static final byte COPIED = 0;
  private static final byte BLANK = 1;
  private static final byte LINE_BREAK = 2;
  private static final byte SYNTAX = 3;
  private static final byte[] CLASS = new byte[128];

  static {
    for (char c = 0; c < 128; c++) {
      CLASS[c] = c == '\n' ? LINE_BREAK
          : MARKUP[c] ? SYNTAX
          : c == ' ' || c == '\t' || c == '\u000B' || c == '\f' ? BLANK
          : COPIED;
    }
  }

  /** {@link #tidy}; with {@code refuseMarkup}, null as soon as the text may hold Markdown syntax. */
  private static String tidy(String text, boolean refuseMarkup) {
    int length = text.length();
    char[] in = scratch(length);
    text.getChars(0, length, in, 0);
    // in place: a line's output starts no later than its input and grows by at most a char per char
    char[] out = in;
    int n = 0;
    int from = 0;
    while (from <= length) {
      if (refuseMarkup) {
        // a line whose first character after spaces and tabs is -, + or a digit may be a list item,
        // a setext underline or a thematic break
        int q = from;
        while (q < length && (in[q] == ' ' || in[q] == '\t')) {
          q++;
        }
        if (q < length && (in[q] == '-' || in[q] == '+' || in[q] >= '0' && in[q] <= '9')) {
          return null;
        }
      }
      int to = from;
      int lineStart = n == 0 ? 0 : n + 1;
      int p = lineStart;
      boolean space = false;
      for (; to < length; to++) {
        char c = in[to];
        byte k = c < 128 ? CLASS[c] : c == '\u00a0' ? BLANK : COPIED;
        if (k == COPIED) {
          out[p++] = c;
          space = false;
        } else if (k == BLANK) {
          if (!space) {
            out[p++] = ' ';
            space = true;
          }
        } else if (k == LINE_BREAK) {
          break;
        } else if (refuseMarkup) {
          return null;
        } else {
          out[p++] = c; // syntax, kept as text once parsed
          space = false;
        }
      }
      int a = lineStart;
      while (a < p && Character.isWhitespace(out[a])) {
        a++;
      }
      while (p > a && Character.isWhitespace(out[p - 1])) {
        p--;
      }
      if (p > a) {
        if (n > 0) {
          out[n++] = '\n';
        }
        System.arraycopy(out, a, out, n, p - a);
        n += p - a;
      }
      from = to + 1;
    }
    return new String(out, 0, n);
  }

  /** Collects the text of a parsed Markdown document, one line per block. */
  private static final class PlainText extends AbstractVisitor {
    final StringBuilder out;

    /** @param expected about how long the text will be (the Markdown's length), so it is not grown step by step */
    PlainText(int expected) {
      out = new StringBuilder(expected);
    }

    private void line() {
      if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
        out.append('\n');
      }
    }

    private void block(Node n, String literal) {
      line();
      if (literal != null) {
        out.append(literal);
      } else {
        visitChildren(n);
      }
      line();
    }

    @Override
    public void visit(Text n) {
      out.append(n.getLiteral());
    }

    @Override
    public void visit(Code n) {
      out.append(n.getLiteral());
    }

    @Override
    public void visit(HtmlInline n) {
      out.append(n.getLiteral());
    }

    @Override
    public void visit(SoftLineBreak n) {
      out.append('\n');
    }

    @Override
    public void visit(HardLineBreak n) {
      out.append('\n');
    }

    @Override
    public void visit(Link n) {
      int start = out.length();
      visitChildren(n);
      String target = n.getDestination();
      if (target != null && !target.isBlank() && !out.substring(start).equals(target)) {
        out.append(" (").append(target).append(')');
      }
    }

    @Override
    public void visit(Image n) {
      visitChildren(n);
    }

    @Override
    public void visit(FencedCodeBlock n) {
      block(n, n.getLiteral());
    }

    @Override
    public void visit(IndentedCodeBlock n) {
      block(n, n.getLiteral());
    }

    @Override
    public void visit(HtmlBlock n) {
      block(n, n.getLiteral());
    }

    @Override
    public void visit(Paragraph n) {
      block(n, null);
    }

    @Override
    public void visit(Heading n) {
      block(n, null);
    }

    @Override
    public void visit(ListItem n) {
      block(n, null);
    }

    @Override
    public void visit(ThematicBreak n) {
      line();
    }
  }

  /**
   * One line per non-blank line: no-break spaces, tabs and runs of spaces become one space, each
   * line is stripped ({@link String#strip()}), blank lines are dropped. One pass over one array: no
   * string per line, no regular expressions.
   */
  static String tidy(String text) {
    return tidy(text, false);
  }


}
