package nl.sleutelbos.ngsild.entity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.sleutelbos.ngsild.NgsiLdException;

/** One element of a batch body after reading: a valid entity, or the error that disqualified it. */
public sealed interface BatchItem {
  record Valid(ObjectNode entity) implements BatchItem {}

  record Invalid(String entityId, NgsiLdException error) implements BatchItem {}
}
