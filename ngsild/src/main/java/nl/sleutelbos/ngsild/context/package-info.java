/**
 * JSON-LD {@code @context} handling for NGSI-LD (ETSI GS CIM 009 v1.8): turning the short names a
 * client uses into the IRIs the broker stores, and back.
 *
 * <h2>Getting an {@link nl.sleutelbos.ngsild.context.LdContext}</h2>
 *
 * <pre>{@code
 * ContextRegistry registry =
 *     new ContextRegistry(documentStore, "http://host:1026/ngsi-ld/v1/jsonldContexts/");
 * LdContexts contexts = new LdContexts(registry, Clock.systemUTC());
 *
 * LdContext a = contexts.resolveLink(linkUrl);            // the Link header's context URL
 * LdContext b = contexts.resolve(body.get("@context"));   // an application/ld+json body
 * LdContext c = LdContext.core();                         // no context at all
 *
 * String iri = b.expandTerm("category");    // https://smartdatamodels.org/category
 * String name = b.compactIri(iri);          // category
 * }</pre>
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>{@link nl.sleutelbos.ngsild.context.CoreContext}: the bundled core context; its URLs never
 *       touch the network.
 *   <li>{@code ContextProcessor} (package-private): JSON-LD 1.1 context processing, cut down to
 *       term definitions.
 *   <li>{@link nl.sleutelbos.ngsild.context.LdContext}: the compiled, immutable result, with the
 *       core context overlaid last.
 *   <li>{@link nl.sleutelbos.ngsild.context.LdContexts}: the cache of compiled contexts, for the
 *       request path.
 *   <li>{@link nl.sleutelbos.ngsild.context.ContextRegistry}: hosted contexts (durable, in a {@link
 *       nl.sleutelbos.store.DocumentStore}), downloaded contexts (in memory, bounded in age and
 *       number), and the {@code /jsonldContexts} operations of clause 5.13.
 *   <li>{@link nl.sleutelbos.ngsild.context.ContextFetcher} and {@link
 *       nl.sleutelbos.ngsild.context.HttpContextFetcher}: downloading.
 * </ul>
 *
 * <h2>Errors</h2>
 *
 * A context that cannot be obtained, or is not a context document, raises {@code
 * LdContextNotAvailable} (503); a context that breaks the JSON-LD rules raises {@code
 * BadRequestData} (400). Both are {@link nl.sleutelbos.ngsild.NgsiLdException}s whose message names
 * the URL or term at fault.
 */
package nl.sleutelbos.ngsild.context;
