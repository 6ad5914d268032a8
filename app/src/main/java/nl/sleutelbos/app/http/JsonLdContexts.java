package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import nl.sleutelbos.ngsild.context.ContextRegistry;
import nl.sleutelbos.ngsild.context.CoreContext;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.context.LdContexts;

/** The routes' view of the context machinery: the registry (hosted and cached) behind a compiled-context cache. */
public final class JsonLdContexts implements ContextSource {
  private final ContextRegistry registry;
  private final LdContexts compiled;

  public JsonLdContexts(ContextRegistry registry, Clock clock) {
    this.registry = registry;
    this.compiled = new LdContexts(registry, clock);
  }

  public ContextRegistry registry() {
    return registry;
  }

  @Override
  public LdContext core() {
    return LdContext.core();
  }

  @Override
  public String coreUrl() {
    return CoreContext.URL;
  }

  @Override
  public LdContext resolve(JsonNode contextValue) {
    return compiled.resolve(contextValue);
  }

  @Override
  public String linkFor(JsonNode contextValue) {
    if (contextValue.isTextual()) {
      return contextValue.asText();
    }
    // An inline context has no URL of its own; host it so a Link header can name it (clause 5.13.3).
    return registry.addImplicit(contextValue).url();
  }
}
