package dev.mellon.migrator.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mellon.migrator.engine.schema.Verification;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What proving a generated migration found, as generate and rebase answer it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Verification")
public record VerificationView(
        @Schema(description = "verified: the migration ran on a replay of the folder, as apply runs it, and produced the "
                + "desired schema; not-verified: no proof could be made (reason says why)",
                enumeration = {"verified", "not-verified"}) String status,
        @Schema(description = "How long the proof took, in milliseconds") long millis,
        @Schema(description = "Why no proof could be made") String reason,
        @Schema(description = "Statements a sandbox cannot run (roles and other cluster-wide steps): their first lines, unproven")
        List<String> notRun) {

    public static VerificationView of(Verification v) {
        if (v == null) {
            return null;
        }
        return new VerificationView(v.status(), v.millis(), v instanceof Verification.NotVerified n ? n.reason() : null,
                v instanceof Verification.Verified ok && !ok.notRun().isEmpty() ? ok.notRun() : null);
    }
}
