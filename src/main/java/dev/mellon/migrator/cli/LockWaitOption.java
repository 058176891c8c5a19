package dev.mellon.migrator.cli;

import picocli.CommandLine.Option;

/** {@code --wait}: how long a command that takes the migration lock waits for another run's. */
public class LockWaitOption {

    @Option(names = "--wait", paramLabel = "DURATION",
            description = "ISO-8601: how long to wait for another run's lock, e.g. PT2M (default: migrator.lock-wait, 60 s)")
    String wait;
}
