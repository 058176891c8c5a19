package dev.mellon.migrator.api;

import dev.mellon.migrator.web.MigrationView;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** One migration with its statements, exactly as they will be sent to PostgreSQL. */
@Schema(name = "MigrationDetail")
public record MigrationDetail(MigrationView migration, List<Statement> statements) {

    public record Statement(@Schema(description = "1-based index among the file's chunks") int index,
                            @Schema(description = "The chunk, verbatim") String sql) {
    }
}
