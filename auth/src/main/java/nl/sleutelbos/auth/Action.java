package nl.sleutelbos.auth;

import java.util.regex.Pattern;

/**
 * What the subject wants to do: one of the NGSI-LD verbs or a named control-plane action such as
 * {@code policy.write}. The policy matches on the name.
 */
public record Action(String name) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");

  public static final Action READ = new Action("read");
  public static final Action CREATE = new Action("create");
  public static final Action UPDATE = new Action("update");
  public static final Action DELETE = new Action("delete");
  public static final Action QUERY = new Action("query");
  public static final Action SUBSCRIBE = new Action("subscribe");

  public Action {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("action name must be lower-case words joined by '.', got: " + name);
    }
  }

  /** A named control-plane action, e.g. {@code named("policy.write")}. */
  public static Action named(String name) {
    return new Action(name);
  }
}
