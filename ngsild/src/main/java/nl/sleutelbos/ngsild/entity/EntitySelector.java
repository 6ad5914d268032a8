package nl.sleutelbos.ngsild.entity;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which entities a query is about (clause 5.2.8 EntitySelector): ids, an id pattern and a type
 * selection, all of which must hold. Empty or null parts hold for every entity.
 */
public record EntitySelector(Set<String> ids, Pattern idPattern, TypeSelection types) {
  public static final EntitySelector ANY = new EntitySelector(Set.of(), null, null);

  public EntitySelector {
    ids = Set.copyOf(ids);
  }

  public boolean matches(String id, List<String> entityTypes) {
    return (ids.isEmpty() || ids.contains(id))
        && (idPattern == null || idPattern.matcher(id).find())
        && (types == null || types.matches(entityTypes));
  }
}
