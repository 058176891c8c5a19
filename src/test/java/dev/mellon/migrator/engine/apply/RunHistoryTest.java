package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.history.RunStore;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.lock.LockNotAcquiredException;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runs table: every apply run with its outcome, caller, plan and result, paged newest first. */
class RunHistoryTest extends EngineDatabaseTest {

    private static final RunContext CI = new RunContext("token:ci via test", "10.0.0.7", "ci/deploy#812", "4f2a9c1");

    @Test
    void everyRunIsRecordedWithItsOutcomeAndPagedNewestFirst() throws Exception {
        FolderBuilder builder = new FolderBuilder(dir)
                .migration("one", "CREATE TABLE one (id int);")
                .migration("two", "CREATE TABLE two (id int);");
        Path folder = builder.write();
        Migrator migrator = MigratorTest.migrator(db, folder, TrackingTable.defaults());
        assertEquals(List.of(), migrator.runs(null, 50, null).runs());

        ApplyResult applied = migrator.apply(ApplyOptions.defaults(), CI);
        migrator.apply(ApplyOptions.defaults(), RunContext.of("test"));
        migrator.apply(ApplyOptions.defaults().asDryRun(), RunContext.of("test"));

        // A failing run: the third migration breaks in its second statement.
        new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").migration("two", "CREATE TABLE two (id int);")
                .migration("three", "CREATE TABLE three (id int);", "INSERT INTO nowhere VALUES (1);").write();
        assertThrows(MigrationFailedException.class, () -> migrator.apply(ApplyOptions.defaults(), CI));

        // A refused run: an applied file was edited.
        Files.writeString(folder.resolve("0000_one.sql"), "CREATE TABLE one (id bigint);");
        assertThrows(ApplyRefusedException.class, () -> migrator.apply(ApplyOptions.defaults(), CI));
        Files.writeString(folder.resolve("0000_one.sql"), "CREATE TABLE one (id int);");

        // A run that cannot get the lock.
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> holder = CompletableFuture.supplyAsync(() -> migrator.withLock(Duration.ofSeconds(5), session -> {
            held.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertTrue(held.await(10, TimeUnit.SECONDS));
        Migrator other = MigratorTest.migrator(db, folder, TrackingTable.defaults());
        assertThrows(LockNotAcquiredException.class, () -> other.apply(ApplyOptions.defaults().withLockWait(Duration.ofMillis(200)), CI));
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);

        List<RunStore.Run> runs = migrator.runs(null, 50, null).runs();
        assertEquals(List.of("lock-timeout", "refused", "failed", "up-to-date", "applied"), runs.stream().map(RunStore.Run::outcome).toList());
        RunStore.Run first = runs.get(4);
        assertEquals(applied.runId(), first.runId());
        assertEquals(List.of("0000_one", "0001_two"), first.planned());
        assertEquals(List.of("0000_one", "0001_two"), first.applied());
        assertEquals("token:ci via test", first.appliedBy());
        assertEquals("10.0.0.7", first.clientAddress());
        assertEquals("ci/deploy#812", first.requestSource());
        assertEquals("4f2a9c1", first.gitCommit());
        assertEquals("all", first.transactionMode());
        assertNull(first.failure());
        assertTrue(!first.finishedAt().isBefore(first.startedAt()));
        RunStore.Run failed = runs.get(2);
        assertEquals(List.of("0002_three"), failed.planned());
        assertEquals(List.of(), failed.applied());
        assertEquals("migration-failed", failed.failure().type());
        assertEquals("0002_three", failed.failure().tag());
        assertEquals("INSERT INTO nowhere VALUES (1);", failed.failure().statement());
        assertEquals("42P01", failed.failure().sqlState());
        assertEquals("migration-changed", runs.get(1).failure().type());
        assertEquals("0000_one", runs.get(1).failure().tag());
        assertEquals("lock-timeout", runs.get(0).failure().type());

        // Filter and keyset pages.
        assertEquals(List.of("failed"), migrator.runs("failed", 50, null).runs().stream().map(RunStore.Run::outcome).toList());
        List<String> paged = new ArrayList<>();
        Long before = null;
        int pages = 0;
        do {
            RunStore.Page page = migrator.runs(null, 2, before);
            page.runs().forEach(r -> paged.add(r.outcome()));
            before = page.nextBefore();
            pages++;
        } while (before != null);
        assertEquals(3, pages);
        assertEquals(runs.stream().map(RunStore.Run::outcome).toList(), paged);
        try (Connection c = db.connect()) {
            assertEquals(5, Catalog.count(c, "select count(*) from drizzle.__mellon_migrator_audit_runs"));
        }
    }
}
