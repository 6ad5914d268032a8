package nl.sleutelbos.ngsild.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import nl.sleutelbos.ngsild.query.Targets.Target;

/**
 * Turns a {@link Query} into an {@link EntityPredicate}, with the semantics of clause 4.9:
 *
 * <ul>
 *   <li>a term holds if any target value (any instance, any datasetId; see {@link Targets})
 *       satisfies it; a missing target satisfies nothing, not even {@code !=};
 *   <li>{@code ==} holds for a target equal to the value, to any member of a list, or within a
 *       range; for an array target, if any element does;
 *   <li>{@code !=} holds for a target for which {@code ==} does not: values of another type are
 *       unequal; an array target must contain no equal element;
 *   <li>ordering operators hold if the target (or, for an array, any element) is of the value's
 *       type and in that order: numbers numerically, strings by code unit, dateTime/date/time
 *       strings in time order;
 *   <li>{@code ~=} holds for a string target (or array with a string element) in which the regex is
 *       found; {@code !~=} for a string target (or array of which some element is a string) in
 *       which no string matches;
 *   <li>a Relationship object is only tested by {@code ==} and {@code !=}.
 * </ul>
 */
final class QueryEvaluator {
  private QueryEvaluator() {}

  static EntityPredicate compile(Query query) {
    return switch (query) {
      case And and ->
          EntityPredicate.and(and.terms().stream().map(QueryEvaluator::compile).toList());
      case Or or -> any(or.terms().stream().map(QueryEvaluator::compile).toList());
      case Exists e -> entity -> Targets.exists(entity, e.path());
      case NotExists n -> entity -> !Targets.exists(entity, n.path());
      case Comparison c -> comparison(c);
      case PatternMatch p -> pattern(p);
    };
  }

  private static EntityPredicate any(List<EntityPredicate> predicates) {
    return entity -> {
      for (EntityPredicate predicate : predicates) {
        if (predicate.test(entity)) {
          return true;
        }
      }
      return false;
    };
  }

  private static EntityPredicate comparison(Comparison c) {
    Literal literal = Literal.of(c.value());
    Predicate<JsonNode> test =
        switch (c.operator()) {
          case EQUAL -> v -> anyElement(v, literal::equalTo);
          case UNEQUAL -> v -> !anyElement(v, literal::equalTo);
          case GREATER -> v -> anyElement(v, e -> literal.compare(e).orElse(0) > 0);
          case GREATER_EQ -> v -> anyElement(v, e -> literal.compare(e).orElse(-1) >= 0);
          case LESS -> v -> anyElement(v, e -> literal.compare(e).orElse(0) < 0);
          case LESS_EQ -> v -> anyElement(v, e -> literal.compare(e).orElse(1) <= 0);
        };
    boolean onRelationships = c.operator().isEquality();
    return entity -> {
      for (Target target : Targets.of(entity, c.path())) {
        if ((onRelationships || !target.relationship()) && test.test(target.value())) {
          return true;
        }
      }
      return false;
    };
  }

  private static EntityPredicate pattern(PatternMatch p) {
    Pattern regex = Pattern.compile(p.regex());
    Predicate<JsonNode> found = e -> e.isTextual() && BoundedRegex.find(regex, e.textValue());
    Predicate<JsonNode> test =
        p.negated()
            ? v -> anyElement(v, JsonNode::isTextual) && !anyElement(v, found)
            : v -> anyElement(v, found);
    return entity -> {
      for (Target target : Targets.of(entity, p.path())) {
        if (!target.relationship() && test.test(target.value())) {
          return true;
        }
      }
      return false;
    };
  }

  /** The target itself, or for an array target any of its elements. */
  private static boolean anyElement(JsonNode value, Predicate<JsonNode> test) {
    if (!value.isArray()) {
      return test.test(value);
    }
    for (JsonNode element : value) {
      if (test.test(element)) {
        return true;
      }
    }
    return false;
  }
}
