package nl.sleutelbos.store;

import java.util.List;
import java.util.Optional;

/**
 * Durable key-value storage of small JSON documents grouped in named collections, for state that
 * is not an NGSI-LD entity (hosted JSON-LD contexts, and later control-plane records). Writes
 * have the same durability as {@link EntityStore#apply}.
 */
public interface DocumentStore {

  /** A stored document. */
  record Document(String collection, String key, String body) {}

  /** Stores the body under (collection, key), replacing what was there. */
  void put(String collection, String key, String body);

  /** Stores the body only if (collection, key) is free; returns false if it was taken. */
  boolean putIfAbsent(String collection, String key, String body);

  Optional<String> get(String collection, String key);

  /** All documents of a collection, ordered by key. */
  List<Document> list(String collection);

  /** Removes (collection, key); returns false if there was nothing to remove. */
  boolean delete(String collection, String key);
}
