package nl.sleutelbos.custody;

import java.nio.file.Files;
import java.nio.file.Path;
import nl.sleutelbos.custody.software.SoftwareCustody;

class SoftwareDlmsSuite0Test extends DlmsSuite0Contract {
  @Override
  protected KeyCustody open(Path dir) throws Exception {
    Files.writeString(dir.resolve("pass"), "pass");
    return SoftwareCustody.open(dir.resolve("keys"), new Secret.FromFile(dir.resolve("pass")), new Location("NL"));
  }
}
