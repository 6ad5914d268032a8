package nl.sleutelbos.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import oasis.names.tc.xacml._3_0.core.schema.wd_17.DecisionType;
import org.ow2.authzforce.core.pdp.api.AttributeFqn;
import org.ow2.authzforce.core.pdp.api.AttributeFqns;
import org.ow2.authzforce.core.pdp.api.DecisionRequestBuilder;
import org.ow2.authzforce.core.pdp.api.DecisionResult;
import org.ow2.authzforce.core.pdp.api.PepAction;
import org.ow2.authzforce.core.pdp.api.PepActionAttributeAssignment;
import org.ow2.authzforce.core.pdp.api.value.Bags;
import org.ow2.authzforce.core.pdp.api.value.BooleanValue;
import org.ow2.authzforce.core.pdp.api.value.DateTimeValue;
import org.ow2.authzforce.core.pdp.api.value.StandardDatatypes;
import org.ow2.authzforce.core.pdp.api.value.StringValue;
import org.ow2.authzforce.core.pdp.impl.BasePdpEngine;
import org.ow2.authzforce.core.pdp.impl.PdpEngineConfiguration;

/**
 * One loaded policy set in the AuthZForce engine, and the translation of an {@link AccessRequest}
 * into the engine's native request (no XACML XML per request: attribute bags straight into the
 * request builder) and of its result back into a {@link Decision}.
 */
final class XacmlEngine implements AutoCloseable {
  /** The engine's handle of each attribute Sleutelbos supplies, by ordinal. */
  private static final AttributeFqn[] FQNS = java.util.Arrays.stream(RequestAttribute.values())
      .map(a -> AttributeFqns.newInstance(a.category, Optional.empty(), a.id)).toArray(AttributeFqn[]::new);

  private static final String OBLIGATION_ATTRIBUTE = "urn:sleutelbos:obligation:attribute";
  private static final String OBLIGATION_GRANULARITY = "urn:sleutelbos:obligation:granularity";
  private static final String OBLIGATION_MIN_CONNECTIONS = "urn:sleutelbos:obligation:min-connections";

  private final BasePdpEngine engine;
  /** Absent when the policy set may decide on more than its request attributes. */
  private final DecisionCache cache;
  /** The last current-time value made, by its second: one per second instead of one per decision. */
  private volatile Second lastSecond = new Second(Long.MIN_VALUE, null);

  private record Second(long epochSecond, DateTimeValue value) {}

  private XacmlEngine(BasePdpEngine engine, DecisionCache cache) {
    this.engine = engine;
    this.cache = cache;
  }

  /**
   * Parses, validates and loads a policy set. The engine reads its configuration and policies
   * from files, so both are written to a private temporary directory that is gone when this
   * returns; the loaded engine keeps nothing open on them.
   */
  static XacmlEngine load(String policySetXml) throws PolicyException {
    return load(policySetXml, true);
  }

  /** As {@link #load(String)}; {@code cached} false decides every request afresh (for comparison in tests). */
  static XacmlEngine load(String policySetXml, boolean cached) throws PolicyException {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("sleutelbos-pdp");
      Path policy = dir.resolve("policy.xml");
      Files.writeString(policy, policySetXml, StandardCharsets.UTF_8);
      Path pdp = dir.resolve("pdp.xml");
      Files.writeString(pdp, """
          <?xml version="1.0" encoding="UTF-8"?>
          <pdp xmlns="http://authzforce.github.io/core/xmlns/pdp/8"
               xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="8.1">
            <policyProvider id="root" xsi:type="StaticPolicyProvider">
              <policyLocation>%s</policyLocation>
            </policyProvider>
          </pdp>
          """.formatted(policy.toUri()), StandardCharsets.UTF_8);
      PdpEngineConfiguration conf = PdpEngineConfiguration.getInstance(pdp.toUri().toString());
      BasePdpEngine engine = new BasePdpEngine(conf);
      return new XacmlEngine(engine, cached ? DecisionCache.forPolicy(policySetXml).orElse(null) : null);
    } catch (IOException | RuntimeException e) {
      throw new PolicyException(messageOf(e), e);
    } finally {
      if (dir != null) {
        deleteQuietly(dir.resolve("policy.xml"));
        deleteQuietly(dir.resolve("pdp.xml"));
        deleteQuietly(dir);
      }
    }
  }

  /** The engine's messages nest; the innermost distinct ones say what is wrong with the policy. */
  private static String messageOf(Throwable e) {
    Set<String> messages = new LinkedHashSet<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        messages.add(t.getMessage().strip());
      }
    }
    return messages.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", messages);
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // A leftover temporary file is harmless; the policy is in the store.
    }
  }

  Decision evaluate(AccessRequest request) {
    Object[] values = RequestAttribute.valuesOf(request);
    return cache == null ? decide(values) : cache.get(values, () -> decide(values));
  }

  /** Decisions taken from the cache and made by the engine since this policy set was loaded. */
  long[] cacheCounts() {
    return cache == null ? new long[] {0, 0} : new long[] {cache.hits(), cache.misses()};
  }

  private Decision decide(Object[] values) {
    DecisionRequestBuilder<?> builder = engine.newRequestBuilder(4, values.length);
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) {
        continue;
      }
      AttributeFqn fqn = FQNS[i];
      if (i == RequestAttribute.TIME.ordinal()) {
        builder.putNamedAttributeIfAbsent(fqn, Bags.singletonAttributeBag(StandardDatatypes.DATETIME,
            dateTime((Long) v)));
      } else if (v instanceof Boolean b) {
        builder.putNamedAttributeIfAbsent(fqn, Bags.singletonAttributeBag(StandardDatatypes.BOOLEAN,
            BooleanValue.valueOf(b)));
      } else if (v instanceof java.util.Collection<?> bag) {
        putAll(builder, fqn, bag);
      } else {
        put(builder, fqn, (String) v);
      }
    }
    DecisionResult result = engine.evaluate(builder.build(false));
    DecisionType decision = result.getDecision();
    return switch (decision) {
      case PERMIT -> permit(result);
      case DENY -> Decision.deny("denied by policy");
      case NOT_APPLICABLE -> Decision.deny("no policy permits this (NotApplicable)");
      case INDETERMINATE -> Decision.deny("the policy could not decide (Indeterminate"
          + result.getCauseForIndeterminate().map(c -> ": " + c.getMessage()).orElse("") + ")");
    };
  }

  /** XACML 3.0 §7.18: a PEP that cannot fulfil a mandatory obligation must not permit. */
  private static Decision permit(DecisionResult result) {
    List<Obligation> obligations = new ArrayList<>();
    for (PepAction action : result.getPepActions()) {
      if (!action.isMandatory()) {
        continue; // advice
      }
      Optional<Obligation> obligation = obligation(action);
      if (obligation.isEmpty()) {
        return Decision.deny("cannot fulfil obligation " + action.getId());
      }
      obligations.add(obligation.get());
    }
    return new Decision(Decision.Effect.PERMIT, obligations, "permitted by policy");
  }

  private static Optional<Obligation> obligation(PepAction action) {
    List<PepActionAttributeAssignment<?>> assignments = action.getAttributeAssignments();
    switch (action.getId()) {
      case Obligation.REMOVE_ATTRIBUTES_ID -> {
        Set<String> names = new LinkedHashSet<>();
        for (PepActionAttributeAssignment<?> a : assignments) {
          if (a.getAttributeId().equals(OBLIGATION_ATTRIBUTE)) {
            names.add(lexical(a));
          }
        }
        return Optional.of(new Obligation.RemoveAttributes(names));
      }
      case Obligation.CAP_GRANULARITY_ID -> {
        for (PepActionAttributeAssignment<?> a : assignments) {
          if (a.getAttributeId().equals(OBLIGATION_GRANULARITY)) {
            try {
              Duration d = Duration.parse(lexical(a));
              return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(new Obligation.CapGranularity(d));
            } catch (DateTimeParseException e) {
              return Optional.empty();
            }
          }
        }
        return Optional.empty();
      }
      case Obligation.REQUIRE_AGGREGATION_ID -> {
        for (PepActionAttributeAssignment<?> a : assignments) {
          if (a.getAttributeId().equals(OBLIGATION_MIN_CONNECTIONS)) {
            try {
              int n = Integer.parseInt(lexical(a));
              return n < 1 ? Optional.empty() : Optional.of(new Obligation.RequireAggregation(n));
            } catch (NumberFormatException e) {
              return Optional.empty();
            }
          }
        }
        return Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /** The lexical form of an assigned value (a string, integer or duration is one text node). */
  private static String lexical(PepActionAttributeAssignment<?> assignment) {
    List<java.io.Serializable> content = assignment.getValue().getContent();
    return content.isEmpty() ? "" : content.get(0).toString().strip();
  }

  private static void put(DecisionRequestBuilder<?> builder, AttributeFqn id, String value) {
    builder.putNamedAttributeIfAbsent(id, Bags.singletonAttributeBag(StandardDatatypes.STRING, new StringValue(value)));
  }

  private static void putAll(DecisionRequestBuilder<?> builder, AttributeFqn id, java.util.Collection<?> values) {
    if (values.isEmpty()) {
      return;
    }
    List<StringValue> bag = new ArrayList<>(values.size());
    for (Object v : values) {
      bag.add(new StringValue((String) v));
    }
    builder.putNamedAttributeIfAbsent(id, Bags.newAttributeBag(StandardDatatypes.STRING, bag));
  }

  @Override
  public void close() {
    try {
      engine.close();
    } catch (IOException e) {
      // Closing releases caches only; nothing to recover.
    }
  }

  /**
   * The environment's current time as an XACML dateTime, to the second. Making one formats the
   * instant and parses it back through the XML datatype factory, which cost about a third of a
   * decision under load (profiled in PepLatency); decisions within one second share it. No policy
   * needs finer than a second of the time of day.
   */
  private DateTimeValue dateTime(long second) {
    Second last = lastSecond;
    if (last.epochSecond() != second) {
      last = new Second(second, new DateTimeValue(java.time.Instant.ofEpochSecond(second).toString()));
      lastSecond = last;
    }
    return last.value();
  }

}
