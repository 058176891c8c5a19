package dev.mellon.migrator.engine.core;

/** The database role lacks a privilege the operation needs (SQLSTATE 42501). Nothing was changed. */
public final class InsufficientPrivilegeException extends RuntimeException {

    public InsufficientPrivilegeException(String message, Throwable cause) {
        super(message, cause);
    }
}
