package dev.mellon.migrator.engine.core;

import java.sql.SQLException;

/** Turns a JDBC failure outside a migration's own statements into the engine's exceptions. */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /**
     * A missing privilege (SQLSTATE 42501, e.g. no CREATE on the database for the tracking schema, or a catalog the
     * role may not read) is the deployment's to fix and says so; anything else means the database is not usable now.
     */
    public static RuntimeException translate(String context, SQLException e) {
        if ("42501".equals(e.getSQLState())) {
            return new InsufficientPrivilegeException(context + ": the database role lacks a privilege: " + e.getMessage(), e);
        }
        return new DatabaseUnavailableException(context + ": " + e.getMessage(), e.getSQLState(), e);
    }
}
