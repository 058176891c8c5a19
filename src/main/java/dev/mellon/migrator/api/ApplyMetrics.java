package dev.mellon.migrator.api;

import dev.mellon.migrator.engine.apply.ApplyOptions;
import dev.mellon.migrator.engine.apply.ApplyResult;
import dev.mellon.migrator.engine.apply.FailureKind;
import dev.mellon.migrator.engine.lock.LockNotAcquiredException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Counts and times applies: {@code migrator_apply_total{outcome}}, {@code migrator_migrations_applied_total},
 * {@code migrator_apply_duration_seconds}, {@code migrator_lock_wait_seconds} and
 * {@code migrator_migration_duration_seconds}.
 */
@ApplicationScoped
public class ApplyMetrics {

    private final MeterRegistry registry;
    private final Counter migrationsApplied;
    private final Timer lockWait;
    private final Timer migrationDuration;

    ApplyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.migrationsApplied = Counter.builder("migrator.migrations.applied")
                .description("Migrations applied by this instance").register(registry);
        this.lockWait = Timer.builder("migrator.lock.wait")
                .description("Time applies spent waiting for the migration lock").register(registry);
        this.migrationDuration = Timer.builder("migrator.migration.duration")
                .description("Time to execute one migration's statements").register(registry);
    }

    ApplyResult record(ApplyOptions options, Supplier<ApplyResult> apply) {
        long start = System.nanoTime();
        String outcome = FailureKind.ERROR.metricsLabel();
        try {
            ApplyResult result = apply.get();
            outcome = result.dryRun() ? "dry-run" : result.applied().isEmpty() ? "up-to-date" : "applied";
            if (!result.dryRun()) {
                migrationsApplied.increment(result.applied().size());
                result.applied().forEach(m -> migrationDuration.record(Duration.ofMillis(m.millis())));
                lockWait.record(Duration.ofMillis(result.lockWaitMillis()));
            }
            return result;
        } catch (RuntimeException e) {
            outcome = FailureKind.of(e).metricsLabel();
            if (e instanceof LockNotAcquiredException l) {
                lockWait.record(Duration.ofMillis(l.waitedMillis()));
            }
            throw e;
        } finally {
            Timer.builder("migrator.apply.duration").description("Time of whole apply requests")
                    .tag("transaction", options.transactionMode().wireName()).tag("outcome", outcome)
                    .register(registry).record(Duration.ofNanos(System.nanoTime() - start));
            Counter.builder("migrator.apply").description("Apply requests by outcome").tag("outcome", outcome)
                    .register(registry).increment();
        }
    }
}
