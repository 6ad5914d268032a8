package nl.sleutelbos.ngsild.entity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * The entity type selection language of clause 4.17: type names joined by {@code ,} or {@code |}
 * (or), {@code ;} (and), with parentheses. Held in disjunctive normal form: a list of
 * alternatives, each a set of types the entity must all have.
 */
public record TypeSelection(List<Set<String>> alternatives) {
  public TypeSelection {
    alternatives = alternatives.stream().map(Set::copyOf).toList();
  }

  /** Parses the parameter, expanding each name with the expander. */
  public static TypeSelection parse(String text, UnaryOperator<String> expand) {
    Parser p = new Parser(text, expand);
    List<Set<String>> dnf = p.or();
    if (p.pos != text.length()) {
      throw NgsiLdException.badRequest("type: unexpected '" + text.charAt(p.pos) + "' at position "
          + p.pos + " in \"" + text + "\"");
    }
    return new TypeSelection(dnf);
  }

  /** Every type mentioned: the store pre-filters on these. */
  public Set<String> allTypes() {
    Set<String> all = new HashSet<>();
    alternatives.forEach(all::addAll);
    return all;
  }

  public boolean matches(List<String> entityTypes) {
    for (Set<String> alternative : alternatives) {
      if (entityTypes.containsAll(alternative)) {
        return true;
      }
    }
    return false;
  }

  private static final class Parser {
    private final String text;
    private final UnaryOperator<String> expand;
    private int pos;
    private int depth;

    Parser(String text, UnaryOperator<String> expand) {
      this.text = text;
      this.expand = expand;
    }

    List<Set<String>> or() {
      List<Set<String>> result = new ArrayList<>(and());
      while (pos < text.length() && (text.charAt(pos) == ',' || text.charAt(pos) == '|')) {
        pos++;
        result.addAll(and());
      }
      return result;
    }

    List<Set<String>> and() {
      List<Set<String>> result = term();
      while (pos < text.length() && text.charAt(pos) == ';') {
        pos++;
        List<Set<String>> right = term();
        List<Set<String>> product = new ArrayList<>();
        for (Set<String> a : result) {
          for (Set<String> b : right) {
            Set<String> both = new HashSet<>(a);
            both.addAll(b);
            product.add(both);
          }
        }
        if (product.size() > 256) {
          throw new NgsiLdException(nl.sleutelbos.ngsild.ErrorType.TOO_COMPLEX_QUERY,
              "type selection expands to more than 256 alternatives");
        }
        result = product;
      }
      return result;
    }

    List<Set<String>> term() {
      if (pos < text.length() && text.charAt(pos) == '(') {
        if (++depth > 16) {
          throw new NgsiLdException(nl.sleutelbos.ngsild.ErrorType.TOO_COMPLEX_QUERY,
              "type selection nests parentheses deeper than 16");
        }
        pos++;
        List<Set<String>> inner = or();
        if (pos >= text.length() || text.charAt(pos) != ')') {
          throw NgsiLdException.badRequest("type: missing ')' at position " + pos + " in \"" + text + "\"");
        }
        pos++;
        depth--;
        return inner;
      }
      int start = pos;
      while (pos < text.length() && ",|;()".indexOf(text.charAt(pos)) < 0) {
        pos++;
      }
      String name = text.substring(start, pos).strip();
      if (name.isEmpty()) {
        throw NgsiLdException.badRequest("type: expected a type name at position " + start + " in \"" + text + "\"");
      }
      EntityReader.requireName(name);
      return List.of(Set.of(expand.apply(name)));
    }
  }
}
