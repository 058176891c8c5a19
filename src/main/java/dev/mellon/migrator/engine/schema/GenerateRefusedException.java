package dev.mellon.migrator.engine.schema;

/** A generate, push or diff request that cannot be carried out as asked; nothing was written or executed. */
public final class GenerateRefusedException extends RuntimeException {

    /**
     * INCONSISTENT: the desired schema contradicts itself (a key it keeps on a table the step drops). FORMAT: the folder
     * is in a layout this operation cannot write.
     */
    public enum Reason { INVALID_REQUEST, DISABLED, UNSAFE, INCONSISTENT, FORMAT }

    private final Reason reason;

    public GenerateRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
