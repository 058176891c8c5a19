/**
 * The command line in the service's jar: {@code java -jar quarkus-run.jar apply|status|pending|check|diff|schema},
 * and {@code serve} (the default) for the REST service. Each command calls the same engine objects as the REST layer,
 * prints what a person reads (or, with {@code --json}, the REST response's JSON), and ends with a documented exit
 * code ({@link dev.mellon.migrator.cli.Exits}). {@link dev.mellon.migrator.cli.Launch} decides before Quarkus starts
 * whether the process serves HTTP, and reads {@code --database-url}, {@code --folder} and {@code .env}.
 */
package dev.mellon.migrator.cli;
