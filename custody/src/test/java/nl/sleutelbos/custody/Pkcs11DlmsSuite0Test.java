package nl.sleutelbos.custody;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import nl.sleutelbos.custody.pkcs11.Pkcs11Custody;

class Pkcs11DlmsSuite0Test extends DlmsSuite0Contract {
  @Override
  protected KeyCustody open(Path dir) throws Exception {
    Files.writeString(dir.resolve("pin"), TestToken.PIN);
    return Pkcs11Custody.open(TestToken.config(TestToken.LABEL, dir.resolve("pin"), Optional.empty()));
  }
}
