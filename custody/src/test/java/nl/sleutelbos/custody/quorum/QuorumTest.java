package nl.sleutelbos.custody.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** M-of-N approvals with designated officers, on a real store: what counts, what is refused, what is recorded. */
class QuorumTest {
  private static final Set<String> OFFICER = Set.of(Quorum.OFFICER_ROLE);
  @TempDir Path dir;
  private EntityStore store;
  private final List<String> recorded = new ArrayList<>();
  private final List<String> executed = new ArrayList<>();

  @BeforeEach
  void open() {
    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("q.db")));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Quorum quorum(Quorum.Rule rule) {
    return new Quorum(store.documents(), rule, op -> {
      executed.add(op.id());
      return "done";
    }, (actor, action, op, ok, reason) -> recorded.add(actor + " " + action + " " + ok), Clock.systemUTC());
  }

  @Test
  void threeOfFourDesignatedOfficersRunTheOperationOnceAndOnlyThen() {
    Quorum q = quorum(new Quorum.Rule(3, Set.of("ann", "bob", "cas", "dee")));
    Quorum.Operation op = q.request(Quorum.Kind.ROTATE_STORAGE_KEK, "", "ann");

    assertRefused(() -> q.approve(op.id(), "eve", OFFICER), Quorum.Refused.Why.NOT_AN_OFFICER);
    assertRefused(() -> q.approve(op.id(), "bob", Set.of("operator-admin")), Quorum.Refused.Why.NOT_AN_OFFICER);
    assertRefused(() -> q.approve(op.id(), "ann", OFFICER), Quorum.Refused.Why.OWN_REQUEST);
    assertThat(q.approve(op.id(), "bob", OFFICER).status()).isEqualTo(Quorum.Status.PENDING);
    assertRefused(() -> q.approve(op.id(), "bob", OFFICER), Quorum.Refused.Why.ALREADY_APPROVED);
    assertThat(q.approve(op.id(), "cas", OFFICER).status()).isEqualTo(Quorum.Status.PENDING);
    assertThat(executed).isEmpty();

    Quorum.Operation done = q.approve(op.id(), "dee", OFFICER);

    assertThat(done.status()).isEqualTo(Quorum.Status.EXECUTED);
    assertThat(done.result()).isEqualTo("done");
    assertThat(executed).containsExactly(op.id());
    assertRefused(() -> q.approve(op.id(), "ann", OFFICER), Quorum.Refused.Why.NOT_PENDING);
    assertThat(quorum(new Quorum.Rule(3, Set.of("ann", "bob", "cas", "dee"))).get(op.id()).orElseThrow().approvals())
        .extracting(Quorum.Approval::officer).containsExactly("bob", "cas", "dee");
    assertThat(recorded).containsExactly("ann keys.operation.request true", "eve keys.operation.approve false",
        "bob keys.operation.approve false", "ann keys.operation.approve false", "bob keys.operation.approve true",
        "bob keys.operation.approve false", "cas keys.operation.approve true", "dee keys.operation.approve true",
        "dee keys.operation.execute true", "ann keys.operation.approve false");
  }

  @Test
  void aFailedExecutionEndsTheOperationAsFailedWithItsReason() {
    Quorum q = new Quorum(store.documents(), new Quorum.Rule(1, Set.of()), op -> {
      throw new IllegalStateException("UNAVAILABLE: the HSM is not answering");
    }, (actor, action, op, ok, reason) -> recorded.add(action + " " + ok), Clock.systemUTC());
    Quorum.Operation op = q.request(Quorum.Kind.GENERATE_SIGNING_KEY, "audit", "ann");
    Quorum.Operation failed = q.approve(op.id(), "bob", OFFICER);
    assertThat(failed.status()).isEqualTo(Quorum.Status.FAILED);
    assertThat(failed.result()).contains("not answering");
    assertThat(recorded).endsWith("keys.operation.execute false");
  }

  @Test
  void aRuleNeedsAtLeastAsManyOfficersAsApprovals() {
    assertThatThrownBy(() -> new Quorum.Rule(3, Set.of("ann", "bob"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Quorum.Rule(0, Set.of())).isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Quorum.Refused.Why why) {
    assertThatThrownBy(call).isInstanceOfSatisfying(Quorum.Refused.class, r -> assertThat(r.why()).isEqualTo(why));
  }

  @Test
  void aRequestNotApprovedWithinItsWindowExpiresAndCannotBeApproved() {
    java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-11-26T09:00:00Z"));
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public java.time.Instant instant() {
        return now.get();
      }
    };
    Quorum q = new Quorum(store.documents(), new Quorum.Rule(2, Set.of(), java.time.Duration.ofHours(8)), op -> {
      executed.add(op.id());
      return "done";
    }, (actor, action, op, ok, reason) -> recorded.add(actor + " " + action + " " + ok), clock);
    Quorum.Operation op = q.request(Quorum.Kind.ACTIVATE_EMERGENCY_UPDATE_KEY, "", "ann");
    assertThat(op.expires()).isEqualTo(java.time.Instant.parse("2026-11-26T17:00:00Z"));

    now.set(java.time.Instant.parse("2026-11-26T16:59:59Z"));
    assertThat(q.approve(op.id(), "bob", OFFICER).status()).isEqualTo(Quorum.Status.PENDING);
    now.set(java.time.Instant.parse("2026-11-26T17:00:00Z"));

    assertThat(q.get(op.id()).orElseThrow().status()).isEqualTo(Quorum.Status.EXPIRED);
    assertThat(q.list()).extracting(Quorum.Operation::status).containsExactly(Quorum.Status.EXPIRED);
    assertRefused(() -> q.approve(op.id(), "cas", OFFICER), Quorum.Refused.Why.EXPIRED);
    assertThat(executed).isEmpty();
    assertThat(recorded).last().isEqualTo("cas keys.operation.approve false");
  }

  @Test
  void aRuleRefusesAWindowThatIsNotPositive() {
    assertThatThrownBy(() -> new Quorum.Rule(2, Set.of(), java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
  }
}
