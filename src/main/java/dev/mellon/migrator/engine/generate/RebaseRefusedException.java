package dev.mellon.migrator.engine.generate;

/** A rebase that cannot be done as asked (applied already, nothing to rebase, conflicting changes); nothing was written. */
public final class RebaseRefusedException extends RuntimeException {
    public RebaseRefusedException(String message) {
        super(message);
    }
}
