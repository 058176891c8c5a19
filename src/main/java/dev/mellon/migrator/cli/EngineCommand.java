package dev.mellon.migrator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.web.ProblemDocuments;
import dev.mellon.migrator.web.Problem;
import jakarta.inject.Inject;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** What every command shares: the common options, printing, and turning a failure into a problem and an exit code. */
abstract class EngineCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @ParentCommand
    MigratorCommand parent;

    @Spec
    CommandSpec spec;

    @Inject
    ObjectMapper mapper;

    abstract int run() throws Exception;

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    boolean json() {
        return options.json || (parent != null && parent.options != null && parent.options.json);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    void printJson(Object value) {
        try {
            out().println(mapper.writeValueAsString(value));
            out().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    int fail(Throwable e) {
        Problem problem = ProblemDocuments.of(e);
        return fail(e, problem);
    }

    int fail(Throwable e, Problem problem) {
        if (json()) {
            printJson(problem);
        } else {
            StringBuilder line = new StringBuilder("error: ").append(problem.title);
            if (problem.detail != null && !problem.detail.isBlank()) {
                line.append(": ").append(problem.detail);
            }
            Object allow = problem.extensions().get("allowWith");
            if (allow != null) {
                line.append(" (override with --").append(kebab(allow.toString())).append(')');
            }
            err().println(line.toString().replace('\n', ' '));
            err().flush();
        }
        return Exits.of(e, problem);
    }

    /** {@code allowOutOfOrder} as the option {@code allow-out-of-order}. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** Prints rows as columns padded to their widest cell. */
    void table(List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i] == null ? 0 : row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = row[i] == null ? "" : row[i];
                line.append(cell);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out().println(line.toString().stripTrailing());
        }
    }

    /** A plan's hazards and rename candidates (with the option that settles each), as a table after a blank line. */
    void planNotes(List<dev.mellon.migrator.web.PlanViews.HazardView> hazards, List<dev.mellon.migrator.web.PlanViews.RenameView> renames) {
        List<String[]> notes = new java.util.ArrayList<>();
        hazards.forEach(h -> notes.add(new String[]{"hazard", h.code(), h.object(), h.message()}));
        renames.forEach(r -> notes.add(new String[]{"rename?", r.kind(), r.from() + " -> " + r.to(),
                "pass --rename " + r.kind() + ":" + r.from() + "=" + r.to() + " if it is one"}));
        if (!notes.isEmpty()) {
            out().println();
            table(notes);
        }
    }

    static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
