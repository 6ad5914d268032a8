package nl.sleutelbos.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.store.DocumentStore;

/**
 * The first administrator. On the first start of the embedded issuer there is no client yet to
 * get a token with, so one is created with the {@code operator-admin} role and its id and secret
 * are written to {@code <data dir>/bootstrap-admin.json}, readable by the server's user only
 * (0600). The store remembers that this happened ({@code identity/bootstrap-admin}), so a later
 * start never makes a second one; the operator disables it once real administrators exist.
 */
public final class BootstrapAdmin {
  public static final String FILE = "bootstrap-admin.json";
  static final String MARKER = "bootstrap-admin";
  private static final ObjectMapper JSON = new ObjectMapper();

  private BootstrapAdmin() {}

  /** Creates the bootstrap client and its file if this store never had one; returns its id if created. */
  public static Optional<String> ensure(DocumentStore documents, Clients clients, Path dataDir, String issuer,
      String tokenEndpoint) {
    if (documents.get(SigningKeys.COLLECTION, MARKER).isPresent()) {
      return Optional.empty();
    }
    try {
      Clients.Issued admin = clients.create(new Clients.Registration("bootstrap administrator",
          Set.of(Subject.ADMIN_ROLE), Organisation.OPERATOR, Optional.of("NL"), Optional.empty()));
      ObjectNode file = JSON.createObjectNode();
      file.put("client_id", admin.client().id());
      file.put("client_secret", admin.secret().orElseThrow());
      file.put("issuer", issuer);
      file.put("token_endpoint", tokenEndpoint);
      Files.createDirectories(dataDir);
      Path target = dataDir.resolve(FILE);
      Path temp = dataDir.resolve(FILE + ".tmp");
      Files.deleteIfExists(temp);
      Files.write(Secrets.createPrivate(temp), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(file));
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      documents.put(SigningKeys.COLLECTION, MARKER, JSON.writeValueAsString(JSON.createObjectNode()
          .put("client_id", admin.client().id()).put("created", admin.client().created().toString())));
      return Optional.of(admin.client().id());
    } catch (ClientException e) {
      throw new IllegalStateException("the bootstrap client is invalid", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dataDir.resolve(FILE), e);
    }
  }
}
