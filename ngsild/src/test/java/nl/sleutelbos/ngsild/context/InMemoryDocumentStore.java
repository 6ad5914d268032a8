package nl.sleutelbos.ngsild.context;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import nl.sleutelbos.store.DocumentStore;

/** A {@link DocumentStore} in a sorted map, standing in for the real stores built elsewhere. */
final class InMemoryDocumentStore implements DocumentStore {
  private final Map<String, String> documents = new ConcurrentSkipListMap<>();

  @Override
  public void put(String collection, String key, String body) {
    documents.put(collection + '\0' + key, body);
  }

  @Override
  public boolean putIfAbsent(String collection, String key, String body) {
    return documents.putIfAbsent(collection + '\0' + key, body) == null;
  }

  @Override
  public Optional<String> get(String collection, String key) {
    return Optional.ofNullable(documents.get(collection + '\0' + key));
  }

  @Override
  public List<Document> list(String collection) {
    String prefix = collection + '\0';
    return documents.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(e -> new Document(collection, e.getKey().substring(prefix.length()), e.getValue()))
        .toList();
  }

  @Override
  public boolean delete(String collection, String key) {
    return documents.remove(collection + '\0' + key) != null;
  }
}
