package dev.mellon.migrator.cli;

import dev.mellon.migrator.web.InvalidRequestException;
import dev.mellon.migrator.diff.InvalidRenameException;
import dev.mellon.migrator.diff.Rename;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The desired schema of {@code generate} and {@code push}: a snapshot or DDL file, and rename hints. */
public class SchemaOptions {

    @Option(names = "--schema", paramLabel = "FILE",
            description = "The desired schema: a Drizzle v7 snapshot (.json, as drizzle-kit/api generateDrizzleJson writes it) "
                    + "or SQL DDL (.sql, run in a throwaway sandbox and read back); - reads standard input")
    String schema;

    @Option(names = "--rename", paramLabel = "KIND:FROM=TO",
            description = "A rename hint, e.g. column:public.users.handle=public.users.username (kinds: schema, table, column, "
                    + "enum); repeatable. Without one an ambiguous drop+create stays drop+create")
    List<String> renames = new ArrayList<>();

    /** The schema file's text and whether it is a snapshot (JSON) rather than DDL. */
    record Desired(String snapshot, String sql) {
    }

    /** @return {@code null} when no {@code --schema} was given */
    Desired desired(InputStream stdin) {
        if (schema == null) {
            return null;
        }
        String text;
        try {
            text = schema.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(schema), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidRequestException("schema", "No file " + schema);
        } catch (IOException e) {
            throw new InvalidRequestException("schema", "Cannot read " + schema + ": " + e.getMessage());
        }
        String name = schema.toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".json") || (!name.endsWith(".sql") && text.stripLeading().startsWith("{"));
        return json ? new Desired(text, null) : new Desired(null, text);
    }

    List<Rename> renameHints() {
        List<Rename> out = new ArrayList<>();
        for (String hint : renames) {
            int colon = hint.indexOf(':');
            int equals = hint.indexOf('=', colon + 1);
            if (colon <= 0 || equals < 0 || equals == colon + 1 || equals == hint.length() - 1) {
                throw new InvalidRequestException("rename", "A rename hint is KIND:FROM=TO, e.g. "
                        + "column:public.users.handle=public.users.username; got \"" + hint + "\"");
            }
            try {
                out.add(new Rename(Rename.Kind.parse(hint.substring(0, colon)), hint.substring(colon + 1, equals),
                        hint.substring(equals + 1)));
            } catch (InvalidRenameException e) {
                throw new InvalidRequestException("rename", e.getMessage());
            }
        }
        return out;
    }
}
