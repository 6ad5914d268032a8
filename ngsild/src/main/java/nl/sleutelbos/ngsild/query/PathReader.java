package nl.sleutelbos.ngsild.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an attribute path (clause 4.9 {@code Attribute}): {@code DottedPath *1([DottedPath])},
 * where the bracketed part may also be written as several bracket pairs, {@code a[b][c]} being
 * {@code a[b.c]}.
 *
 * <p>Names are terms ({@code AttrName}), compact IRIs ({@code ex:temp}) or absolute IRIs ({@code
 * https://example.org/temp}). A name is an IRI when a ':' follows its first term. IRIs hold dots
 * ({@code https://smartdatamodels.org/dataModel.Energy/power}), so inside an IRI a '.' separates a
 * sub-attribute only when what follows is a chain of plain terms ending the path, or the start of
 * another IRI: in {@code https://example.org/temp.observedAt>x} the last dot separates, the first
 * does not. An IRI whose last dot is followed by a plain term ({@code http://example.org/a.b})
 * therefore cannot be written in a query; JSON-LD expansion never needs to.
 */
final class PathReader {
  private PathReader() {}

  /** Reads a path at the cursor; {@code what} says where, for the error message. */
  static AttributePath read(Cursor in, String what) {
    String name = name(in, "expected an attribute name" + what);
    List<String> dotted = new ArrayList<>();
    while (in.skip('.')) {
      dotted.add(name(in, "expected a sub-attribute name after '.'"));
    }
    List<String> compound = new ArrayList<>();
    while (in.skip('[')) {
      compound.add(key(in));
      while (in.skip('.')) {
        compound.add(key(in));
      }
      if (!in.skip(']')) {
        throw in.error("expected '.' or ']' in the compound-value path");
      }
    }
    return new AttributePath(name, dotted, compound);
  }

  private static String name(Cursor in, String expected) {
    int start = in.pos();
    if (!Lexical.isTermStart(in.peek())) {
      throw in.error(expected);
    }
    in.readWhile(Lexical::isTermChar);
    if (in.skip(':')) {
      if (in.atEnd() || !Lexical.isIriChar(in.peek())) {
        throw in.error("expected the rest of the IRI after ':'");
      }
      iriRest(in);
    }
    return in.text().substring(start, in.pos());
  }

  private static void iriRest(Cursor in) {
    while (!in.atEnd()) {
      int cp = in.peek();
      if (cp == '.') {
        if (separates(in.text(), in.pos())) {
          return;
        }
        in.next();
      } else if (Lexical.isIriChar(cp)) {
        in.next();
      } else {
        return;
      }
    }
  }

  /**
   * Whether the '.' at {@code dot} in an IRI separates path segments: it is followed by one or more
   * {@code .term} that end the path (at its end, a '[', an operator or a delimiter), or by a term
   * and ':' (another IRI).
   */
  static boolean separates(String text, int dot) {
    int i = dot;
    while (i < text.length() && text.charAt(i) == '.') {
      i++;
      if (i >= text.length() || !Lexical.isTermStart(text.codePointAt(i))) {
        return false;
      }
      while (i < text.length() && Lexical.isTermChar(text.codePointAt(i))) {
        i += Character.charCount(text.codePointAt(i));
      }
      if (i >= text.length()) {
        return true;
      }
      char c = text.charAt(i);
      if (c == ':' || Lexical.isPathTerminator(c)) {
        return true;
      }
    }
    return false;
  }

  private static String key(Cursor in) {
    String key = in.readWhile(Lexical::isKeyChar);
    if (key.isEmpty()) {
      throw in.error("expected a member name in the compound-value path");
    }
    return key;
  }
}
