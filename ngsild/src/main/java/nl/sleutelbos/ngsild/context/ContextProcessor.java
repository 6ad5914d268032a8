package nl.sleutelbos.ngsild.context;

import static nl.sleutelbos.ngsild.context.ContextErrors.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.context.ContextLoader.Loaded;

/**
 * Turns a local context (an object, a URL, an array of both, or null) into term definitions: the
 * Context Processing and Create Term Definition algorithms of JSON-LD 1.1 Processing Algorithms and
 * API (clauses 4.1.2 and 4.2.2), cut down to what NGSI-LD needs.
 *
 * <p>Kept: remote contexts (loaded through a {@link ContextLoader}, with a nesting limit and a
 * cycle check), {@code @import}, {@code @vocab}, {@code @protected} and protected-term
 * redefinition, {@code @version}, null (context nullification), term definitions with {@code @id},
 * {@code @type}, {@code @container}, {@code @prefix}, compact IRIs and terms defined out of order.
 *
 * <p>Left out, because NGSI-LD attribute and type names never need them: {@code @base} and relative
 * IRIs (a relative context URL is an error), {@code @language} and {@code @direction} defaults, and
 * scoped contexts (a term's {@code @context} is checked for shape but not processed, so it never
 * triggers a download). {@code @reverse} is read as if it were {@code @id}.
 *
 * <p>The core context is not applied here: NGSI-LD puts it last (clause 4.4), which {@link
 * LdContext} does by overlaying its precompiled terms. Core context URLs met inside a user context
 * are therefore skipped rather than loaded. One instance processes one context; it is not
 * thread-safe.
 */
final class ContextProcessor {
  /**
   * Remote contexts nested deeper than this are a "context overflow" (JSON-LD 1.1, 4.1.2 5.2.2).
   */
  static final int MAX_NESTING = 10;

  /** Bounds the downloads one client-supplied context can cause. */
  static final int MAX_REMOTE_CONTEXTS = 32;

  private static final Set<String> TYPE_KEYWORDS = Set.of("@id", "@json", "@none", "@vocab");

  /** The result, with what it was built from so that a cache knows when to drop it. */
  record Result(ActiveContext active, List<String> urls, Instant expiresAt) {}

  /**
   * One local context object being processed: Create Term Definition's "local context" and
   * "defined".
   */
  private record Scope(ObjectNode local, Map<String, Boolean> defined, boolean protectedDefault) {}

  private final ContextLoader loader;
  private final Set<String> urls = new LinkedHashSet<>();
  private Instant expiresAt;
  private int remoteCount;

  ContextProcessor(ContextLoader loader) {
    this.loader = loader;
  }

  /** Processes {@code localContext} on top of an empty active context. */
  Result process(JsonNode localContext) {
    ActiveContext active = process(new ActiveContext(), localContext, new ArrayDeque<>());
    return new Result(active, List.copyOf(urls), expiresAt);
  }

  private ActiveContext process(
      ActiveContext active, JsonNode localContext, Deque<String> remoteStack) {
    Iterable<JsonNode> items = localContext.isArray() ? localContext : List.of(localContext);
    ActiveContext result = active;
    for (JsonNode item : items) {
      if (item.isNull()) {
        if (result.hasProtectedTerms()) {
          throw invalid("invalid context nullification: null would discard protected terms");
        }
        result = new ActiveContext();
      } else if (item.isTextual()) {
        result = processRemote(result, item.textValue(), remoteStack);
      } else if (item.isObject()) {
        processObject(result, (ObjectNode) item);
      } else {
        throw invalid(
            "invalid local context: expected an object, a URL or null, found "
                + ContextErrors.describe(item));
      }
    }
    return result;
  }

  private ActiveContext processRemote(ActiveContext active, String url, Deque<String> remoteStack) {
    if (CoreContext.isCoreUrl(url)) {
      // NGSI-LD applies the core context last whatever the client wrote (clause 4.4).
      urls.add(url);
      loader.recordUse(url);
      return active;
    }
    if (!Iris.isAbsoluteIri(url)) {
      throw invalid(
          "the @context URL '" + url + "' is not absolute; relative URLs are not supported");
    }
    if (remoteStack.contains(url)) {
      throw invalid("recursive context inclusion: " + url + " includes itself");
    }
    if (remoteStack.size() >= MAX_NESTING) {
      throw invalid(
          "context overflow: more than " + MAX_NESTING + " nested remote contexts at " + url);
    }
    Loaded loaded = load(url);
    remoteStack.push(url);
    try {
      return process(active, loaded.context(), remoteStack);
    } catch (NgsiLdException e) {
      if (e.type() != ErrorType.BAD_REQUEST_DATA) throw e;
      throw new NgsiLdException(e.type(), "in @context " + url + ": " + e.getMessage(), e);
    } finally {
      remoteStack.pop();
    }
  }

  private Loaded load(String url) {
    if (++remoteCount > MAX_REMOTE_CONTEXTS) {
      throw invalid("more than " + MAX_REMOTE_CONTEXTS + " remote contexts, the last one " + url);
    }
    Loaded loaded = loader.load(url);
    urls.add(url);
    if (loaded.expiresAt() != null
        && (expiresAt == null || loaded.expiresAt().isBefore(expiresAt))) {
      expiresAt = loaded.expiresAt();
    }
    return loaded;
  }

  private void processObject(ActiveContext active, ObjectNode context) {
    ContextSyntax.checkVersion(context.get("@version"));
    ObjectNode local = context.has("@import") ? withImport(context) : context;
    ContextSyntax.checkIgnoredKeywords(local);

    JsonNode protectedNode = local.get("@protected");
    if (protectedNode != null && !protectedNode.isBoolean()) {
      throw invalid(
          "invalid @protected value: expected a boolean, found "
              + ContextErrors.describe(protectedNode));
    }
    JsonNode vocab = local.get("@vocab");
    if (vocab != null) {
      active.vocab = vocabMapping(active, vocab);
    }
    Scope scope =
        new Scope(local, new HashMap<>(), protectedNode != null && protectedNode.booleanValue());
    for (Map.Entry<String, JsonNode> entry : local.properties()) {
      if (!ContextSyntax.isContextKeyword(entry.getKey())) {
        define(active, scope, entry.getKey());
      }
    }
  }

  /**
   * {@code @import}: the imported context's entries, overridden by the importing one's (JSON-LD
   * 1.1, 4.1.2 5.6).
   */
  private ObjectNode withImport(ObjectNode context) {
    JsonNode target = context.get("@import");
    if (!target.isTextual() || !Iris.isAbsoluteIri(target.textValue())) {
      throw invalid(
          "invalid @import value: expected an absolute URL, found "
              + ContextErrors.describe(target));
    }
    String url = target.textValue();
    JsonNode imported =
        CoreContext.isCoreUrl(url) ? CoreContext.contextValue() : load(url).context();
    if (!imported.isObject()) {
      throw invalid(
          "invalid remote context: the @import target " + url + " is not a single object");
    }
    if (imported.has("@import")) {
      throw invalid("invalid context entry: the @import target " + url + " itself has @import");
    }
    ObjectNode merged = ((ObjectNode) imported).deepCopy();
    context
        .properties()
        .forEach(
            e -> {
              if (!e.getKey().equals("@import")) merged.set(e.getKey(), e.getValue());
            });
    return merged;
  }

  private String vocabMapping(ActiveContext active, JsonNode vocab) {
    if (vocab.isNull()) return null;
    if (vocab.isTextual()) {
      String iri = expandIri(active, vocab.textValue(), null);
      if (iri != null && Iris.isIriOrBlankNode(iri)) return iri;
    }
    throw invalid("invalid vocab mapping: " + vocab + " is not an absolute IRI");
  }

  /** Create Term Definition (JSON-LD 1.1, 4.2.2), for {@code term} of {@code scope.local}. */
  private void define(ActiveContext active, Scope scope, String term) {
    Boolean state = scope.defined.get(term);
    if (state != null) {
      if (state) return;
      throw invalid("cyclic IRI mapping: the definition of '" + term + "' depends on itself");
    }
    if (term.isEmpty()) throw invalid("invalid term definition: the empty string is not a term");
    scope.defined.put(term, false);
    JsonNode value = scope.local.get(term);

    if (term.equals("@type")) {
      // JSON-LD 1.1 allows "@type": {"@container": "@set"} and nothing else for this keyword.
      if (value.isObject() && "@set".equals(value.path("@container").asText())) {
        scope.defined.put(term, true);
        return;
      }
      throw invalid("keyword redefinition: @type");
    }
    if (Iris.isKeyword(term)) throw invalid("keyword redefinition: " + term);
    if (Iris.looksLikeKeyword(term)) {
      scope.defined.put(term, true); // reserved for future keywords: ignored
      return;
    }

    TermDefinition previous = active.terms.remove(term);
    boolean simple = value.isTextual();
    ObjectNode map = asExpandedDefinition(term, value);
    ContextSyntax.checkTermDefinitionMembers(term, map);
    boolean isProtected = isProtected(term, map, scope.protectedDefault);
    String typeMapping = typeMapping(active, scope, term, map.get("@type"));

    JsonNode id = map.has("@reverse") ? map.get("@reverse") : map.get("@id");
    boolean explicitId = id != null && !term.equals(id.textValue());
    if (explicitId
        && id.isTextual()
        && !Iris.isKeyword(id.textValue())
        && Iris.looksLikeKeyword(id.textValue())) {
      scope.defined.put(term, true); // maps to a reserved keyword-like string: ignored
      return;
    }
    String iri =
        explicitId ? explicitIri(active, scope, term, id) : implicitIri(active, scope, term);
    boolean prefix = prefix(term, map.get("@prefix"), iri, simple && explicitId);
    Set<String> containers = ContextSyntax.containers(term, map.get("@container"));

    TermDefinition definition =
        new TermDefinition(term, iri, typeMapping, containers, prefix, isProtected, false);
    if (previous != null && previous.isProtected()) {
      if (!previous.sameMeaningAs(definition)) {
        throw invalid("protected term redefinition: '" + term + "' is protected");
      }
      definition = previous;
    }
    active.terms.put(term, definition);
    scope.defined.put(term, true);
  }

  /** A string or null stands for {@code {"@id": value}} (steps 7 and 8). */
  private static ObjectNode asExpandedDefinition(String term, JsonNode value) {
    if (value.isNull()) return Json.object().putNull("@id");
    if (value.isTextual()) return Json.object().put("@id", value.textValue());
    if (value.isObject()) return (ObjectNode) value;
    throw invalid(
        "invalid term definition for '"
            + term
            + "': expected a string, an object or null, found "
            + ContextErrors.describe(value));
  }

  private static boolean isProtected(String term, ObjectNode map, boolean protectedDefault) {
    JsonNode node = map.get("@protected");
    if (node == null) return protectedDefault;
    if (!node.isBoolean()) {
      throw invalid("invalid @protected value in the definition of '" + term + "'");
    }
    return node.booleanValue();
  }

  /**
   * The IRI of a definition with an {@code @id} (or {@code @reverse}) other than the term (step
   * 14).
   */
  private String explicitIri(ActiveContext active, Scope scope, String term, JsonNode id) {
    if (id.isNull()) return null; // the term is unmapped: members with this name are dropped
    if (!id.isTextual()) {
      throw invalid(
          "invalid IRI mapping for '"
              + term
              + "': expected a string, found "
              + ContextErrors.describe(id));
    }
    String iri = expandIri(active, id.textValue(), scope);
    if (iri == null || !(Iris.isKeyword(iri) || Iris.isIriOrBlankNode(iri))) {
      throw invalid(
          "invalid IRI mapping for '" + term + "': '" + id.textValue() + "' is not an IRI");
    }
    if (iri.equals("@context")) {
      throw invalid("invalid keyword alias: '" + term + "' for @context");
    }
    if (term.indexOf(':', 1) > 0 || term.indexOf('/') >= 0) {
      // A term that looks like an IRI must mean that IRI (step 14.2.4).
      scope.defined.put(term, true);
      if (!iri.equals(expandIri(active, term, scope))) {
        throw invalid(
            "invalid IRI mapping: the term '" + term + "' looks like an IRI but maps to " + iri);
      }
    }
    return iri;
  }

  /** The IRI of a definition without its own {@code @id} (steps 15 to 18). */
  private String implicitIri(ActiveContext active, Scope scope, String term) {
    int colon = term.indexOf(':', 1);
    if (colon > 0) {
      String prefixTerm = term.substring(0, colon);
      if (scope.local.has(prefixTerm)) define(active, scope, prefixTerm);
      TermDefinition p = active.terms.get(prefixTerm);
      return p != null && p.iri() != null ? p.iri() + term.substring(colon + 1) : term;
    }
    if (term.indexOf('/') >= 0) return term; // a relative IRI term; without a base it is itself
    if (active.vocab == null) {
      throw invalid("invalid IRI mapping: '" + term + "' has no @id and there is no @vocab");
    }
    return active.vocab + term;
  }

  /**
   * Whether the term may start a compact IRI: by {@code @prefix}, else if it is a simple term whose
   * IRI ends with a gen-delim character (steps 14.2.5 and 20).
   */
  private static boolean prefix(String term, JsonNode declared, String iri, boolean simpleWithId) {
    boolean termIsIri = term.indexOf(':') >= 0 || term.indexOf('/') >= 0;
    if (declared == null) {
      return simpleWithId
          && !termIsIri
          && iri != null
          && !Iris.isKeyword(iri)
          && Iris.endsWithGenDelim(iri);
    }
    if (!declared.isBoolean()) {
      throw invalid("invalid @prefix value in the definition of '" + term + "'");
    }
    if (termIsIri) {
      throw invalid("invalid term definition for '" + term + "': @prefix on a term that is an IRI");
    }
    if (declared.booleanValue() && iri != null && Iris.isKeyword(iri)) {
      throw invalid("invalid term definition for '" + term + "': a keyword alias is no prefix");
    }
    return declared.booleanValue();
  }

  private String typeMapping(ActiveContext active, Scope scope, String term, JsonNode type) {
    if (type == null) return null;
    if (type.isTextual()) {
      String mapped = expandIri(active, type.textValue(), scope);
      if (mapped != null && (TYPE_KEYWORDS.contains(mapped) || Iris.isAbsoluteIri(mapped))) {
        return mapped;
      }
    }
    throw invalid("invalid type mapping for '" + term + "': " + type);
  }

  /**
   * IRI Expansion (JSON-LD 1.1, 5.2.2) with {@code vocab} true, defining terms of {@code scope} on
   * demand so that terms may refer to terms defined later in the same object.
   */
  private String expandIri(ActiveContext active, String value, Scope scope) {
    if (Iris.isKeyword(value)) return value;
    if (Iris.looksLikeKeyword(value)) return null;
    if (scope != null && scope.local.has(value) && !Boolean.TRUE.equals(scope.defined.get(value))) {
      define(active, scope, value);
    }
    TermDefinition definition = active.terms.get(value);
    if (definition != null) return definition.iri();
    int colon = value.indexOf(':', 1);
    if (colon > 0) {
      String prefix = value.substring(0, colon);
      String suffix = value.substring(colon + 1);
      if (prefix.equals("_") || suffix.startsWith("//")) return value;
      if (scope != null
          && scope.local.has(prefix)
          && !Boolean.TRUE.equals(scope.defined.get(prefix))) {
        define(active, scope, prefix);
      }
      TermDefinition p = active.terms.get(prefix);
      if (p != null && p.iri() != null && p.prefix()) return p.iri() + suffix;
      if (Iris.isAbsoluteIri(value)) return value;
    }
    return active.vocab != null ? active.vocab + value : value;
  }
}
