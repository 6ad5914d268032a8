package nl.sleutelbos.custody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a PIN or passphrase comes from: a file (first line) or an environment variable. */
public sealed interface Secret {
  /** Reads it now; the caller wipes the array when done. */
  char[] read();

  record FromFile(Path file) implements Secret {
    @Override
    public char[] read() {
      try {
        return Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").toCharArray();
      } catch (IOException e) {
        throw new CustodyException(CustodyException.Reason.WRONG_PIN, "cannot read the secret file " + file, e);
      }
    }
  }

  record FromEnvironment(String variable) implements Secret {
    @Override
    public char[] read() {
      String value = System.getenv(variable);
      if (value == null) {
        throw new CustodyException(CustodyException.Reason.WRONG_PIN, "environment variable " + variable + " is not set");
      }
      return value.toCharArray();
    }
  }
}
