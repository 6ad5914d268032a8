package nl.sleutelbos.store.internal;

import java.util.concurrent.CopyOnWriteArrayList;

/** The in-process wake-up calls of a change feed, rung by the backend after each commit. */
public final class FeedListeners {
  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

  public AutoCloseable add(Runnable wakeUp) {
    listeners.add(wakeUp);
    return () -> listeners.remove(wakeUp);
  }

  /** Rings every listener; a listener that throws is a bug in it and does not stop the others. */
  public void wake() {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        java.util.logging.Logger.getLogger(FeedListeners.class.getName())
            .log(java.util.logging.Level.WARNING, "feed listener failed", e);
      }
    }
  }
}
