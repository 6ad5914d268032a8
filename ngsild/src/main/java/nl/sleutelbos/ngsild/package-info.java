/**
 * The NGSI-LD data layer (ETSI GS CIM 009 v1.8): entities, JSON-LD contexts, the query language.
 *
 * <h2>The internal entity form</h2>
 * Entities are kept, evaluated and stored in one normalised, expanded form (a Jackson
 * {@code ObjectNode}), whatever format the client used:
 * <pre>{@code
 * {
 *   "id": "urn:ngsi-ld:Meter:001",
 *   "type": ["https://smartdatamodels.org/dataModel.Energy/Meter"],      // expanded type IRIs
 *   "scope": [...],                                                        // optional
 *   "https://example.org/power": [                                         // expanded attribute IRI
 *     {                                                                    //   always an array of instances
 *       "type": "Property",                                                //   Property | Relationship |
 *       "value": 3.2,                                                      //   GeoProperty | LanguageProperty
 *       "unitCode": "KWT", "observedAt": "2026-01-01T00:00:00Z",           //   members keep their NGSI-LD names
 *       "datasetId": "urn:...",                                            //   absent for the default instance
 *       "createdAt": "...", "modifiedAt": "...",                           //   system attributes, always kept
 *       "https://example.org/accuracy": {"type": "Property", "value": 0.1} // sub-attributes: expanded key,
 *     }                                                                    //   one object each
 *   ]
 * }
 * }</pre>
 * A Relationship instance holds {@code object}; a LanguageProperty holds {@code languageMap}; a
 * GeoProperty holds its GeoJSON geometry in {@code value}. Keys that contain no ':' are NGSI-LD
 * members; keys with ':' are attribute IRIs. Entity {@code createdAt}/{@code modifiedAt} live in
 * the store's columns, not in this document.
 */
package nl.sleutelbos.ngsild;
