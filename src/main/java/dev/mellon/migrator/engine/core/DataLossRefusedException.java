package dev.mellon.migrator.engine.core;

import dev.mellon.migrator.diff.Hazard;

import java.util.List;

/** A push would delete data and the caller did not accept that; nothing was executed. */
public final class DataLossRefusedException extends RuntimeException {

    private final List<Hazard> hazards;

    public DataLossRefusedException(List<Hazard> hazards) {
        super("The push would delete data: " + String.join("; ", hazards.stream().map(Hazard::message).toList())
                + ". Nothing was executed; send acceptDataLoss: true to go ahead");
        this.hazards = List.copyOf(hazards);
    }

    public List<Hazard> hazards() {
        return hazards;
    }

    /** The tables and columns whose data would be lost. */
    public List<String> objects() {
        return hazards.stream().map(Hazard::object).distinct().toList();
    }
}
