/**
 * The NGSI-LD Query Language, the {@code q} parameter (ETSI GS CIM 009 v1.8, clause 4.9): {@link
 * nl.sleutelbos.ngsild.query.QueryParser} reads it into a {@link nl.sleutelbos.ngsild.query.Query}
 * tree, {@code Query.toString()} writes it back, {@link
 * nl.sleutelbos.ngsild.query.Query#mapAttributes} expands its names, and {@link
 * nl.sleutelbos.ngsild.query.Query#predicate()} tests entities in the internal form.
 *
 * <p>Where the clause leaves room, this package reads:
 *
 * <ul>
 *   <li>{@code !attr} for "attribute absent", and {@code =~}, {@code !~} as aliases of {@code ~=},
 *       {@code !~=}; printed in the clause's spelling;
 *   <li>parentheses nested to any depth up to 32 (example 6 nests), and compound paths both as
 *       {@code a[b.c]} (the ABNF) and {@code a[b][c]};
 *   <li>attribute names that are compact or absolute IRIs (a dot inside an IRI separates only when
 *       plain terms follow it to the end of the path: {@code
 *       https://example.org/dataModel.Energy/temp.observedAt});
 *   <li>unquoted bare words after {@code ==}/{@code !=} as URIs ({@code gender==Male}, example 12),
 *       and URIs inside value lists;
 *   <li>regular expressions unquoted (the ABNF) or quoted ({@code "..."}, where only {@code \"} and
 *       {@code \\} are escapes);
 *   <li>for evaluation: {@code !=} holds for a target of another type (clause 4.9 calls them
 *       unequal), never for a missing one; a Relationship object takes only {@code ==} and {@code
 *       !=}, not ordering nor patterns (clause 4.9); a regex that backtracks past a step budget is
 *       refused as TooComplexQuery.
 * </ul>
 */
package nl.sleutelbos.ngsild.query;
