package nl.sleutelbos.auth;

import java.io.IOException;
import java.io.StringReader;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Decisions of one loaded policy set, remembered by the values of the attributes that policy set
 * reads.
 *
 * <p>Why this is safe: the engine decides on the request's attributes alone (Sleutelbos gives it
 * no attribute providers; consent is looked up before and arrives as request attributes), and
 * XACML functions are deterministic, so a decision is a function of the attributes the policy
 * designates. The key holds exactly those: the default policy set reads no subject or entity id,
 * so a thousand meters of one connection share one decision, but a policy that does read the
 * entity id gets a key per entity. Nothing needs invalidating: a new policy set is a new engine
 * with an empty cache, and a consent given or revoked changes the consent attributes, hence the
 * key. A policy that reads the current time is decided once per second at most, the resolution
 * at which the engine sees the time anyway; one with an {@code AttributeSelector} (XPath into
 * request content) is not cached at all.
 */
final class DecisionCache {
  private static final String XACML3 = "urn:oasis:names:tc:xacml:3.0:core:schema:wd-17";
  /** Time attributes the engine supplies itself when a request lacks them. */
  private static final Set<String> STANDARD_TIME = Set.of(
      "urn:oasis:names:tc:xacml:1.0:environment:current-time",
      "urn:oasis:names:tc:xacml:1.0:environment:current-date",
      "urn:oasis:names:tc:xacml:1.0:environment:current-dateTime");
  /**
   * Enough for every combination of role, organisation and entity type a busy operator sees, and
   * for a connection-owner key per household under a policy that compares owners. When full it
   * starts over: simpler than an eviction order, and a miss costs one engine evaluation.
   */
  static final int MAX_ENTRIES = 100_000;

  private final boolean[] relevant;
  private final ConcurrentHashMap<Key, Decision> decisions = new ConcurrentHashMap<>();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  private DecisionCache(Set<RequestAttribute> read) {
    this.relevant = new boolean[RequestAttribute.values().length];
    read.forEach(a -> relevant[a.ordinal()] = true);
  }

  /** A cache for this policy set, or empty if its decisions may depend on more than its attributes. */
  static Optional<DecisionCache> forPolicy(String policySetXml) {
    return attributesRead(policySetXml).map(DecisionCache::new);
  }

  /**
   * The attributes the policy set designates anywhere (targets, conditions, obligation
   * expressions), or empty if it holds an AttributeSelector.
   */
  static Optional<Set<RequestAttribute>> attributesRead(String policySetXml) {
    Element root;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      root = f.newDocumentBuilder().parse(new InputSource(new StringReader(policySetXml))).getDocumentElement();
    } catch (ParserConfigurationException | SAXException | IOException e) {
      return Optional.empty(); // the engine has read it; if we cannot, we simply do not cache
    }
    if (root.getElementsByTagNameNS(XACML3, "AttributeSelector").getLength() > 0) {
      return Optional.empty();
    }
    Set<RequestAttribute> read = EnumSet.noneOf(RequestAttribute.class);
    NodeList designators = root.getElementsByTagNameNS(XACML3, "AttributeDesignator");
    for (int i = 0; i < designators.getLength(); i++) {
      Element d = (Element) designators.item(i);
      String id = d.getAttribute("AttributeId");
      RequestAttribute a = RequestAttribute.find(d.getAttribute("Category"), id);
      if (a != null) {
        read.add(a);
      } else if (STANDARD_TIME.contains(id)) {
        read.add(RequestAttribute.TIME);
      }
    }
    return Optional.of(read);
  }

  /** The decision for these request values, made by {@code decide} only when not yet known. */
  Decision get(Object[] values, Supplier<Decision> decide) {
    Key key = keyOf(values);
    Decision known = decisions.get(key);
    if (known != null) {
      hits.increment();
      return known;
    }
    misses.increment();
    Decision made = decide.get();
    if (decisions.size() >= MAX_ENTRIES) {
      decisions.clear();
    }
    decisions.put(key, made);
    return made;
  }

  long hits() {
    return hits.sum();
  }

  long misses() {
    return misses.sum();
  }

  private Key keyOf(Object[] values) {
    Object[] key = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      if (relevant[i]) {
        key[i] = values[i];
      }
    }
    return new Key(key);
  }

  /** The relevant values; the others null. Bags compare as the collections they are. */
  private static final class Key {
    private final Object[] values;
    private final int hash;

    Key(Object[] values) {
      this.values = values;
      this.hash = Arrays.hashCode(values);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
