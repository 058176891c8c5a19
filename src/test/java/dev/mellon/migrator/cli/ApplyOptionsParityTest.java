package dev.mellon.migrator.cli;

import dev.mellon.migrator.web.ApplyRequest;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The apply options have one definition, {@link ApplyRequest}, which REST binds from JSON and the CLI fills from its
 * options: every field of the body has a CLI option of the same name in kebab case, so an option added to one face
 * cannot be forgotten on the other.
 */
class ApplyOptionsParityTest {

    @Test
    void everyFieldOfTheApplyBodyIsAnOptionOfTheApplyCommand() {
        Set<String> options = new TreeSet<>(CommandLine.Model.CommandSpec.forAnnotatedObject(new ApplyCommand()).optionsMap().keySet());
        List<String> missing = new ArrayList<>();
        for (String field : bodyFields()) {
            if (!options.contains("--" + kebab(field))) {
                missing.add(field + " (--" + kebab(field) + ")");
            }
        }
        assertEquals(List.of(), missing, "apply options the CLI lacks; it has " + options);
    }

    @Test
    void theBodyHasTheFieldsTheCommandFills() {
        // Guards the test above against a body read through getters or a renamed class: it must see real fields.
        assertTrue(bodyFields().containsAll(List.of("dryRun", "to", "wait", "transaction", "lockRetries", "rebuildInvalid")),
                bodyFields().toString());
    }

    @Test
    void theCommandFillsEveryFieldItParses() throws Exception {
        ApplyCommand command = new ApplyCommand();
        new CommandLine(command).parseArgs("--dry-run", "--to", "0001_x", "--transaction", "each", "--wait", "PT1S",
                "--allow-out-of-order", "--allow-changed", "--allow-moved", "--resume", "--lock-timeout", "PT2S",
                "--statement-timeout", "PT3S", "--lock-retries", "2", "--rebuild-invalid");
        ApplyRequest request = command.request();
        List<String> unset = new ArrayList<>();
        for (String name : bodyFields()) {
            if (ApplyRequest.class.getField(name).get(request) == null) {
                unset.add(name);
            }
        }
        assertEquals(List.of(), unset, "fields the command parsed but did not pass on");
    }

    private static List<String> bodyFields() {
        return Arrays.stream(ApplyRequest.class.getFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(Field::getName)
                .toList();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
    }
}
