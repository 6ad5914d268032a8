package nl.sleutelbos.ngsild.query;

import java.util.List;
import nl.sleutelbos.ngsild.query.Value.BooleanValue;
import nl.sleutelbos.ngsild.query.Value.DateTimeValue;
import nl.sleutelbos.ngsild.query.Value.DateValue;
import nl.sleutelbos.ngsild.query.Value.NumberValue;
import nl.sleutelbos.ngsild.query.Value.Range;
import nl.sleutelbos.ngsild.query.Value.StringValue;
import nl.sleutelbos.ngsild.query.Value.TimeValue;
import nl.sleutelbos.ngsild.query.Value.UriValue;
import nl.sleutelbos.ngsild.query.Value.ValueList;

/**
 * Writes queries, paths and values as canonical text that {@link QueryParser} reads back to an
 * equal tree: no whitespace, operators in their clause 4.9 spelling ({@code ~=}, {@code !~=}),
 * parentheses only where the grouping needs them, compound paths as one bracket pair ({@code
 * a[b.c]}), regular expressions unquoted unless they must be quoted.
 */
final class QueryPrinter {
  private QueryPrinter() {}

  static String print(Query query) {
    StringBuilder out = new StringBuilder();
    query(out, query);
    return out.toString();
  }

  static String print(AttributePath path) {
    StringBuilder out = new StringBuilder();
    path(out, path);
    return out.toString();
  }

  static String print(Value value) {
    StringBuilder out = new StringBuilder();
    value(out, value);
    return out.toString();
  }

  private static void query(StringBuilder out, Query query) {
    switch (query) {
      // An And inside an And is kept in parentheses so that the grouping survives a round trip;
      // an And inside an Or needs none, as AND binds tighter.
      case And and -> terms(out, and.terms(), ';', true);
      case Or or -> terms(out, or.terms(), '|', false);
      case Exists exists -> path(out, exists.path());
      case NotExists notExists -> path(out.append('!'), notExists.path());
      case Comparison c -> {
        path(out, c.path());
        value(out.append(c.operator().symbol()), c.value());
      }
      case PatternMatch p -> {
        path(out, p.path());
        out.append(p.negated() ? "!~=" : "~=");
        out.append(RegexText.writableUnquoted(p.regex()) ? p.regex() : RegexText.quote(p.regex()));
      }
    }
  }

  private static void terms(StringBuilder out, List<Query> terms, char op, boolean inAnd) {
    for (int i = 0; i < terms.size(); i++) {
      if (i > 0) {
        out.append(op);
      }
      Query term = terms.get(i);
      boolean group = term instanceof Or || (inAnd && term instanceof And);
      if (group) {
        out.append('(');
      }
      query(out, term);
      if (group) {
        out.append(')');
      }
    }
  }

  private static void path(StringBuilder out, AttributePath path) {
    out.append(path.name());
    for (String segment : path.dotted()) {
      out.append('.').append(segment);
    }
    if (!path.compound().isEmpty()) {
      out.append('[').append(String.join(".", path.compound())).append(']');
    }
  }

  private static void value(StringBuilder out, Value value) {
    switch (value) {
      case NumberValue n -> out.append(n.number().toString());
      case StringValue s -> string(out, s.text());
      case BooleanValue b -> out.append(b.value());
      case DateTimeValue d -> out.append(d.text());
      case DateValue d -> out.append(d.text());
      case TimeValue t -> out.append(t.text());
      case UriValue u -> out.append(u.text());
      case ValueList list -> {
        for (int i = 0; i < list.values().size(); i++) {
          value(i > 0 ? out.append(',') : out, list.values().get(i));
        }
      }
      case Range r -> {
        value(out, r.from());
        value(out.append(".."), r.to());
      }
    }
  }

  /** A JSON string (RFC 8259 section 7): quote, backslash and control characters escaped. */
  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
