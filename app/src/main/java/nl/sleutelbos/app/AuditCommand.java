package nl.sleutelbos.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import nl.sleutelbos.audit.AuditBundle;
import nl.sleutelbos.audit.AuditKey;
import nl.sleutelbos.audit.BundleVerifier;
import nl.sleutelbos.audit.CheckpointSigner;
import nl.sleutelbos.audit.NoteKey;
import nl.sleutelbos.audit.SignedNote;
import nl.sleutelbos.custody.KeyCustody;
import nl.sleutelbos.store.EntityStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sleutelbos audit export FILE} writes the audit log as a self-contained bundle (from the
 * store directly); {@code sleutelbos audit verify BUNDLE|URL [--trusted-checkpoint FILE]} checks a
 * bundle, or a running server's log over its API, on the auditor's machine. Verification exits 1
 * and names the first bad index on any tampering.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Export the audit log, or verify an exported or served one.",
    subcommands = {AuditCommand.Export.class, AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the audit log as a bundle file.")
  static final class Export implements Callable<Integer> {
    @Mixin
    ClientsCommand.StoreOptions storeOptions = new ClientsCommand.StoreOptions();

    /** With an HSM the audit key is in it: the same custody options as the server's. */
    @Mixin
    CustodyOptions custody = new CustodyOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the bundle (JSON).")
    Path file;

    @Override
    public Integer call() throws IOException {
      CustodyBackend backend = custody.settings(spec.commandLine()).backend();
      try (EntityStore store = storeOptions.open();
           KeyCustody hsm = Signing.inSoftware(backend) ? null : backend.open(storeOptions.data)) {
        Optional<CheckpointSigner> signer = AuditKey.existing(store.documents(),
            Signing.of(backend, storeOptions.data, hsm).audit());
        if (signer.isEmpty()) {
          System.err.println("sleutelbos audit: this installation has no audit key yet (start the server once)");
          return 1;
        }
        AuditBundle bundle = AuditBundle.export(store.audit(), signer.get().key());
        try (OutputStream out = Files.newOutputStream(file)) {
          bundle.write(out);
        }
        System.out.printf("exported %,d entries and %d checkpoints to %s%n",
            bundle.entries().size(), bundle.checkpoints().size(), file);
        return 0;
      }
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Recompute the tree, check every checkpoint signature and the consistency with a kept checkpoint.")
  static final class Verify implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUNDLE|URL",
        description = "A bundle file, or a server's base URL (http://host:port) whose audit API is read.")
    String source;

    @Option(names = "--trusted-checkpoint", paramLabel = "FILE",
        description = "A signed checkpoint kept from an earlier verification; the log must extend it.")
    Path trustedCheckpoint;

    @Option(names = "--key", paramLabel = "VERIFIER_KEY",
        description = "The operator's verifier key as pinned by the auditor (name+id+key); default: the one the bundle states.")
    String key;

    @Option(names = "--token", description = "Bearer token for reading a server's audit API (default: $SLEUTELBOS_TOKEN).")
    String token = System.getenv("SLEUTELBOS_TOKEN");

    @Override
    public Integer call() {
      long started = System.nanoTime();
      AuditBundle bundle;
      Optional<SignedNote> trusted;
      NoteKey noteKey;
      try {
        bundle = source.startsWith("http://") || source.startsWith("https://") ? fetch(source) : readFile(Path.of(source));
        trusted = trustedCheckpoint == null ? Optional.empty()
            : Optional.of(SignedNote.parse(Files.readString(trustedCheckpoint, StandardCharsets.UTF_8)));
        noteKey = NoteKey.parse(key != null ? key : bundle.verifierKey());
      } catch (IOException | IllegalArgumentException e) {
        System.err.println("sleutelbos audit: cannot read the log: " + e.getMessage());
        return 2;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 2;
      }
      BundleVerifier.Verdict verdict = new BundleVerifier(noteKey).verify(bundle, trusted);
      double seconds = (System.nanoTime() - started) / 1e9;
      if (!verdict.sound()) {
        System.err.println("sleutelbos audit: TAMPERED: " + verdict.problem());
        if (verdict.firstBadIndex() >= 0) {
          System.err.println("first bad index: " + verdict.firstBadIndex());
        }
        return 1;
      }
      System.out.printf("verified %,d entries and %d checkpoints signed by %s in %.2f s%s%n", verdict.entries(),
          verdict.checkpoints(), noteKey.name(), seconds, trusted.isPresent() ? ", consistent with the trusted checkpoint" : "");
      return 0;
    }

    private static AuditBundle readFile(Path file) throws IOException {
      try (InputStream in = Files.newInputStream(file)) {
        return AuditBundle.read(in);
      }
    }

    /** Reads key, checkpoints and entries (in pages) from a server's audit API. */
    private AuditBundle fetch(String base) throws IOException, InterruptedException {
      String audit = base.replaceAll("/+$", "") + "/sleutelbos/v1/audit";
      ObjectMapper json = new ObjectMapper();
      try (HttpClient http = HttpClient.newHttpClient()) {
        String verifierKey = get(http, audit + "/key").strip();
        List<String> checkpoints = new ArrayList<>();
        json.readTree(get(http, audit + "/checkpoints")).path("checkpoints").forEach(n -> checkpoints.add(n.asText()));
        List<byte[]> entries = new ArrayList<>();
        while (true) {
          JsonNode page = json.readTree(get(http, audit + "/entries?start=" + entries.size()));
          if (page.path("entries").isEmpty()) {
            break;
          }
          page.path("entries").forEach(e -> entries.add(Base64.getDecoder().decode(e.path("encoded").asText())));
        }
        // A server offers no stored leaf hashes: a changed entry is then named by checkpoint range.
        return new AuditBundle(verifierKey, entries, List.of(), checkpoints);
      }
    }

    private String get(HttpClient http, String url) throws IOException, InterruptedException {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(url + " answered " + response.statusCode());
      }
      return response.body();
    }
  }
}
