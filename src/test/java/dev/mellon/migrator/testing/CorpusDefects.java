package dev.mellon.migrator.testing;

import java.util.List;
import java.util.Map;

/**
 * Where each corpus's last snapshot disagrees with the database its own migrations build (what {@code check}'s
 * snapshot audit reports; drift, which compares with the replayed SQL, finds none of it).
 * Every entry was checked by hand against the SQL files; the SQL that causes it is quoted. None of them is a
 * normalisation artefact: each is a fact about the database that the history's snapshot states otherwise.
 * Format: {@code <object kind> <change> <qualified name>[ <attribute>]}.
 */
public final class CorpusDefects {

    private CorpusDefects() {
    }

    public static final Map<String, List<String>> EXPECTED = Map.of(
            // dokploy 0066_yielding_echo.sql is hand-written: it rebuilds "user" with
            //   "two_factor_enabled" boolean DEFAULT false NOT NULL,  and  "enableLogRotation" boolean DEFAULT false NOT NULL,
            // while the snapshot has two_factor_enabled nullable without default and no enableLogRotation column; and it
            // creates CREATE INDEX "idx_<table>_organization" ON ... for eight tables that no snapshot lists.
            "dokploy", List.of(
                    "column changed public.user.two_factor_enabled default",
                    "column changed public.user.two_factor_enabled notNull",
                    "column unexpected public.user.enableLogRotation",
                    "index unexpected public.certificate.idx_certificate_organization",
                    "index unexpected public.destination.idx_destination_organization",
                    "index unexpected public.git_provider.idx_git_provider_organization",
                    "index unexpected public.notification.idx_notification_organization",
                    "index unexpected public.project.idx_project_organization",
                    "index unexpected public.registry.idx_registry_organization",
                    "index unexpected public.server.idx_server_organization",
                    "index unexpected public.ssh-key.idx_sshkey_organization"),
            // ctrlplane: 0000_busy_firebird.sql creates the enums concurrency_type, evaluation_type and
            // release_dependency_rule_type; later snapshots dropped them but no migration runs DROP TYPE.
            // 0130_striped_komodo.sql: ALTER TABLE "session" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL
            // while the snapshot has no default. The snapshot lists release_job_release_id_job_id_index, which no migration creates.
            "ctrlplane", List.of(
                    "column changed public.session.updated_at default",
                    "enum unexpected public.concurrency_type",
                    "enum unexpected public.evaluation_type",
                    "enum unexpected public.release_dependency_rule_type",
                    "index missing public.release_job.release_job_release_id_job_id_index"),
            // claude_code_hub 0066_hot_mauler.sql: ADD COLUMN "anthropic_adaptive_thinking" jsonb DEFAULT NULL (the
            // snapshot says 'null'::jsonb, a JSON null). 0056_tidy_quasar.sql adds provider_vendor_id as a nullable
            // integer and nothing sets it NOT NULL (the snapshot says notNull). 0037_cursor_pagination_index.sql (a
            // journal entry without snapshot) creates idx_message_request_cursor by hand. The usage_ledger indexes are
            // created WHERE "usage_ledger"."blocked_by" IS NULL (0073, 0075, 0103, all IF NOT EXISTS), while the last
            // snapshot adds AND "is_replay" = false, which no migration applies.
            "claude_code_hub", List.of(
                    "column changed public.providers.anthropic_adaptive_thinking default",
                    "column changed public.providers.provider_vendor_id notNull",
                    "index changed public.usage_ledger.idx_usage_ledger_key_cost where",
                    "index changed public.usage_ledger.idx_usage_ledger_key_created_at where",
                    "index changed public.usage_ledger.idx_usage_ledger_key_created_at_desc_cover where",
                    "index changed public.usage_ledger.idx_usage_ledger_provider_cost_cover where",
                    "index changed public.usage_ledger.idx_usage_ledger_provider_created_at where",
                    "index changed public.usage_ledger.idx_usage_ledger_user_cost_cover where",
                    "index changed public.usage_ledger.idx_usage_ledger_user_created_at where",
                    "index unexpected public.message_request.idx_message_request_cursor"),
            // pluggedin_app has many hand-written migrations. 0012/0049 (lame_invaders), 0076 and 0077 add CHECK
            // constraints no snapshot lists; 0055_aspiring_jimmy_woo.sql creates secure_unsubscribe_tokens and the
            // email tables with varchar(...) columns and unnamed REFERENCES/UNIQUE clauses, so PostgreSQL names them
            // *_fkey/*_key where the snapshot has drizzle's *_fk/*_unique names and text types; 0083_sourcery_improvements.sql
            // creates the *_timestamp_idx indexes DESC, and 0084's CREATE INDEX IF NOT EXISTS (ascending) then does
            // nothing; agent_models_one_default_per_agent is a hand-written partial unique index; document_versions'
            // file_path, is_current and rag_document_id are in the snapshot but no migration adds them.
            "pluggedin_app", List.of(
                    "check unexpected public.agents.agents_dns_name_valid",
                    "check unexpected public.clipboards.clipboards_size_check",
                    "check unexpected public.playground_settings.valid_log_level",
                    "check unexpected public.playground_settings.valid_max_tokens",
                    "check unexpected public.playground_settings.valid_provider",
                    "check unexpected public.playground_settings.valid_temperature",
                    "column changed public.email_tracking.email_type type",
                    "column changed public.email_tracking.segment type",
                    "column changed public.email_tracking.subject type",
                    "column changed public.email_tracking.user_id type",
                    "column changed public.email_tracking.variant type",
                    "column changed public.scheduled_emails.email_type type",
                    "column changed public.scheduled_emails.user_id type",
                    "column changed public.user_email_preferences.notification_severity type",
                    "column changed public.user_email_preferences.user_id type",
                    "column missing public.document_versions.file_path",
                    "column missing public.document_versions.is_current",
                    "column missing public.document_versions.rag_document_id",
                    "foreignKey missing public.audit_logs.audit_logs_profile_uuid_profiles_uuid_fk",
                    "foreignKey missing public.email_tracking.email_tracking_user_id_users_id_fk",
                    "foreignKey missing public.log_retention_policies.log_retention_policies_profile_uuid_profiles_uuid_fk",
                    "foreignKey missing public.mcp_server_oauth_config.mcp_server_oauth_config_server_uuid_mcp_servers_uuid_fk",
                    "foreignKey missing public.mcp_server_oauth_tokens.mcp_server_oauth_tokens_server_uuid_mcp_servers_uuid_fk",
                    "foreignKey missing public.mcp_server_remote_headers.mcp_server_remote_headers_server_uuid_mcp_servers_uuid_fk",
                    "foreignKey missing public.notifications.notifications_profile_uuid_profiles_uuid_fk",
                    "foreignKey missing public.scheduled_emails.scheduled_emails_user_id_users_id_fk",
                    "foreignKey missing public.user_email_preferences.user_email_preferences_user_id_users_id_fk",
                    "foreignKey unexpected public.audit_logs.audit_logs_profile_uuid_fkey",
                    "foreignKey unexpected public.audit_logs.audit_logs_server_uuid_fkey",
                    "foreignKey unexpected public.email_tracking.email_tracking_user_id_fkey",
                    "foreignKey unexpected public.log_retention_policies.log_retention_policies_profile_uuid_fkey",
                    "foreignKey unexpected public.mcp_server_oauth_config.mcp_server_oauth_config_server_uuid_fkey",
                    "foreignKey unexpected public.mcp_server_oauth_tokens.mcp_server_oauth_tokens_server_uuid_fkey",
                    "foreignKey unexpected public.mcp_server_remote_headers.mcp_server_remote_headers_server_uuid_fkey",
                    "foreignKey unexpected public.notifications.notifications_profile_uuid_fkey",
                    "foreignKey unexpected public.scheduled_emails.scheduled_emails_user_id_fkey",
                    "foreignKey unexpected public.user_email_preferences.user_email_preferences_user_id_fkey",
                    "index changed public.agent_heartbeats.agent_heartbeats_agent_timestamp_idx columns",
                    "index changed public.agent_lifecycle_events.agent_lifecycle_events_agent_timestamp_idx columns",
                    "index changed public.agent_metrics.agent_metrics_agent_timestamp_idx columns",
                    "index changed public.cluster_alerts.cluster_alerts_cluster_ack_created_idx columns",
                    "index unexpected public.agent_models.agent_models_one_default_per_agent",
                    "table unexpected public.secure_unsubscribe_tokens",
                    "unique missing public.ai_models.ai_models_model_id_unique",
                    "unique missing public.mcp_server_oauth_config.mcp_server_oauth_config_server_uuid_unique",
                    "unique missing public.users.users_username_unique",
                    "unique unexpected public.ai_models.ai_models_model_id_key",
                    "unique unexpected public.mcp_server_oauth_config.mcp_server_oauth_config_server_uuid_key",
                    "unique unexpected public.users.users_username_key"));
}
