package dev.mellon.migrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.mellon.migrator.api.security.Disclosure;
import dev.mellon.migrator.diff.InvalidRenameException;
import dev.mellon.migrator.engine.ApplyRefusedException;
import dev.mellon.migrator.engine.ConnectionLostException;
import dev.mellon.migrator.engine.DataLossRefusedException;
import dev.mellon.migrator.engine.DatabaseUnavailableException;
import dev.mellon.migrator.engine.GenerateRefusedException;
import dev.mellon.migrator.engine.InsufficientPrivilegeException;
import dev.mellon.migrator.engine.InvalidSchemaSqlException;
import dev.mellon.migrator.engine.LockNotAcquiredException;
import dev.mellon.migrator.engine.MigrationFailedException;
import dev.mellon.migrator.engine.RebaseRefusedException;
import dev.mellon.migrator.engine.ShadowUnavailableException;
import dev.mellon.migrator.engine.SnapshotConflictException;
import dev.mellon.migrator.engine.TooManyWaitersException;
import dev.mellon.migrator.engine.UnknownMigrationException;
import dev.mellon.migrator.folder.FolderChangedException;
import dev.mellon.migrator.folder.FolderException;
import dev.mellon.migrator.folder.FolderNotWritableException;
import dev.mellon.migrator.schema.SnapshotException;
import jakarta.ws.rs.core.Response;

/**
 * The same problem documents the REST layer answers with, for the command line: each failure goes through the same
 * mapper as over HTTP, seen by the holder of the database URL (so with everything an admin would see).
 */
public final class CliProblems {

    private CliProblems() {
    }

    public static Problem of(Throwable e) {
        ProblemMappers mappers = new ProblemMappers();
        mappers.disclosure = new Disclosure(null, null) {
            @Override
            public boolean internalsVisible() {
                return true;
            }
        };
        Response response;
        if (e instanceof FolderException x) {
            response = mappers.folder(x);
        } else if (e instanceof ApplyRefusedException x) {
            response = mappers.refused(x);
        } else if (e instanceof LockNotAcquiredException x) {
            response = mappers.lock(x);
        } else if (e instanceof MigrationFailedException x) {
            response = mappers.failed(x);
        } else if (e instanceof UnknownMigrationException x) {
            response = mappers.unknown(x);
        } else if (e instanceof DatabaseUnavailableException x) {
            response = mappers.unavailable(x);
        } else if (e instanceof InsufficientPrivilegeException x) {
            response = mappers.privilege(x);
        } else if (e instanceof SnapshotException x) {
            response = mappers.snapshot(x);
        } else if (e instanceof SnapshotConflictException x) {
            response = mappers.conflict(x);
        } else if (e instanceof GenerateRefusedException x) {
            response = mappers.refusedRequest(x);
        } else if (e instanceof InvalidRenameException x) {
            response = mappers.rename(x);
        } else if (e instanceof InvalidSchemaSqlException x) {
            response = mappers.schemaSql(x);
        } else if (e instanceof RebaseRefusedException x) {
            response = mappers.rebase(x);
        } else if (e instanceof FolderChangedException x) {
            response = mappers.folderChanged(x);
        } else if (e instanceof FolderNotWritableException x) {
            response = mappers.folderNotWritable(x);
        } else if (e instanceof DataLossRefusedException x) {
            response = mappers.dataLoss(x);
        } else if (e instanceof ShadowUnavailableException x) {
            response = mappers.shadow(x);
        } else if (e instanceof ConnectionLostException x) {
            response = mappers.connectionLost(x);
        } else if (e instanceof TooManyWaitersException x) {
            response = mappers.tooManyWaiters(x);
        } else if (e instanceof InvalidRequestException x) {
            response = mappers.invalid(x);
        } else if (e instanceof MismatchedInputException x) {
            response = mappers.mismatchedInput(x);
        } else if (e instanceof JsonProcessingException x) {
            response = mappers.json(x);
        } else {
            response = mappers.unexpected(e);
        }
        return (Problem) response.getEntity();
    }

    /** The problem for a command-line option the engine refused, as the REST layer says it for a request field. */
    public static Problem invalid(String option, String detail) {
        return new Problem("invalid-request", "Invalid request", 400, detail).with("field", option);
    }
}
