package dev.mellon.migrator.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real migration histories in {@code ../shared/corpus}; tests that need them skip when the folder is absent, and fail under CI=true. */
public final class Corpus {

    public static final List<String> NAMES = List.of("dokploy", "ctrlplane", "claude_code_hub", "pluggedin_app");

    private Corpus() {
    }

    public static Path root() {
        String configured = System.getProperty("corpus.dir");
        Path root = configured != null ? Path.of(configured) : Path.of("..", "shared", "corpus");
        return root.toAbsolutePath().normalize();
    }

    /** The corpus folder, or a skipped test when {@code ../shared} is not beside the project. */
    public static Path folder(String name) {
        Path folder = root().resolve(name);
        Prerequisites.require(Files.isDirectory(folder), "corpus " + name + " not found at " + folder);
        return folder;
    }
}
