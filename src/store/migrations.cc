#include "store/migrations.h"

#include <chrono>

namespace gh::store {
namespace {

// Arbitrary constant identifying Gatehouse's migration lock ("GHMIGRAT").
constexpr std::string_view kAdvisoryLock = "SELECT pg_advisory_xact_lock(4704613433655214676)";

// Runs `body` in a write transaction, holding the migration lock on PostgreSQL.
template <typename F>
Status InTransaction(sql::Connection& conn, F body) {
  GH_RETURN_IF_ERROR(conn.Begin(TxMode::kWrite));
  Status st = OkStatus();
  if (conn.dialect() == sql::Dialect::kPostgres) st = conn.Query(kAdvisoryLock).status();
  if (st.ok()) st = body();
  if (st.ok()) st = conn.Commit();
  if (!st.ok()) (void)conn.Rollback();
  return st;
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "directory",
       {
           R"(CREATE TABLE tenants (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                initial_domain TEXT NOT NULL,
                verified_domains TEXT NOT NULL,  -- JSON array
                cloud TEXT NOT NULL,
                default_usage_location TEXT NOT NULL,
                created_at BIGINT NOT NULL))",
           // Every verified domain (lower-case) → its tenant, for sign-in routing.
           R"(CREATE TABLE tenant_domains (
                domain TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants(id)))",
           "CREATE INDEX tenant_domains_tenant ON tenant_domains (tenant_id)",
           R"(CREATE TABLE users (
                tenant_id TEXT NOT NULL REFERENCES tenants(id),
                id TEXT NOT NULL,
                upn TEXT NOT NULL,
                upn_lower TEXT NOT NULL,
                display_name TEXT NOT NULL,
                mail TEXT,
                mail_lower TEXT,
                given_name TEXT,
                surname TEXT,
                job_title TEXT,
                company_name TEXT,
                usage_location TEXT,
                preferred_language TEXT,
                mail_nickname TEXT,
                account_enabled INTEGER NOT NULL,
                user_type TEXT NOT NULL,
                external_user_state TEXT,
                external_user_state_changed_at BIGINT,
                creation_type TEXT,
                identities TEXT NOT NULL,   -- JSON array of objects
                other_mails TEXT NOT NULL,  -- JSON array
                password_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, id)))",
           "CREATE UNIQUE INDEX users_upn ON users (tenant_id, upn_lower)",
           "CREATE INDEX users_mail ON users (tenant_id, mail_lower)",
           R"(CREATE TABLE groups (
                tenant_id TEXT NOT NULL REFERENCES tenants(id),
                id TEXT NOT NULL,
                display_name TEXT NOT NULL,
                description TEXT,
                mail_nickname TEXT NOT NULL,
                mail TEXT,
                mail_enabled INTEGER NOT NULL,
                security_enabled INTEGER NOT NULL,
                group_types TEXT NOT NULL,  -- JSON array
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, id)))",
           // member_id is a user or a group, so it carries no foreign key; the
           // store removes memberships when either side is deleted.
           R"(CREATE TABLE memberships (
                tenant_id TEXT NOT NULL,
                group_id TEXT NOT NULL,
                member_id TEXT NOT NULL,
                member_kind TEXT NOT NULL,
                PRIMARY KEY (tenant_id, group_id, member_id),
                FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id)))",
           "CREATE INDEX memberships_member ON memberships (tenant_id, member_id)",
           R"(CREATE TABLE role_assignments (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants(id),
                role_definition_id TEXT NOT NULL,
                principal_id TEXT NOT NULL,
                directory_scope_id TEXT NOT NULL,
                created_at BIGINT NOT NULL))",
           R"(CREATE UNIQUE INDEX role_assignments_unique
                ON role_assignments (tenant_id, principal_id, role_definition_id, directory_scope_id))",
           R"(CREATE TABLE clients (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants(id),
                app_id TEXT NOT NULL,
                display_name TEXT NOT NULL,
                confidential INTEGER NOT NULL,
                app_roles TEXT NOT NULL,      -- JSON array
                redirect_uris TEXT NOT NULL,  -- JSON array
                created_at BIGINT NOT NULL))",
           "CREATE UNIQUE INDEX clients_app_id ON clients (tenant_id, app_id)",
           R"(CREATE TABLE client_secrets (
                id TEXT PRIMARY KEY,
                client_id TEXT NOT NULL REFERENCES clients(id),
                hash TEXT NOT NULL,
                hint TEXT NOT NULL,
                display_name TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL))",
           "CREATE INDEX client_secrets_client ON client_secrets (client_id)",
           R"(CREATE TABLE signing_keys (
                kid TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants(id),
                private_pem TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                active INTEGER NOT NULL))",
           "CREATE INDEX signing_keys_tenant ON signing_keys (tenant_id, created_at)",
           // No foreign key: the audit log must accept every entry it is given.
           R"(CREATE TABLE audit_log (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                time BIGINT NOT NULL,
                category TEXT NOT NULL,
                activity TEXT NOT NULL,
                actor_id TEXT NOT NULL,
                actor_type TEXT NOT NULL,
                actor_name TEXT NOT NULL,
                target_id TEXT NOT NULL,
                target_type TEXT NOT NULL,
                target_name TEXT NOT NULL,
                result TEXT NOT NULL,
                result_reason TEXT NOT NULL,
                details_json TEXT NOT NULL))",
           "CREATE INDEX audit_log_time ON audit_log (tenant_id, time, id)",
       }},
      {2,
       "outbox",
       {
           // The mail outbox (store/outbox_repository.h). No foreign key to
           // tenants: the outbox must accept every mail it is given.
           R"(CREATE TABLE mail_outbox (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                to_addrs TEXT NOT NULL,  -- JSON array
                cc_addrs TEXT NOT NULL,  -- JSON array
                from_name TEXT NOT NULL,
                reply_to TEXT NOT NULL,
                subject TEXT NOT NULL,
                text_body TEXT NOT NULL,
                html_body TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                sent_at BIGINT,
                gave_up INTEGER NOT NULL,
                last_error TEXT NOT NULL,
                dedupe_key TEXT,
                lease_until BIGINT NOT NULL,
                leased_by TEXT NOT NULL))",
           // NULL keys are distinct on both backends: only set keys collide.
           "CREATE UNIQUE INDEX mail_outbox_dedupe ON mail_outbox (tenant_id, dedupe_key)",
           "CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND gave_up = 0",
           "CREATE INDEX mail_outbox_tenant ON mail_outbox (tenant_id, created_at)",
       }},
      {3,
       "licensing_environments",
       {
           R"(CREATE TABLE skus (
                tenant_id TEXT NOT NULL REFERENCES tenants(id),
                sku_id TEXT NOT NULL,
                sku_part_number TEXT NOT NULL,
                capability_status TEXT NOT NULL,
                prepaid_enabled BIGINT NOT NULL,
                prepaid_suspended BIGINT NOT NULL,
                prepaid_warning BIGINT NOT NULL,
                prepaid_locked_out BIGINT NOT NULL,
                service_plans TEXT NOT NULL,  -- JSON array, owned by src/licensing
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, sku_id)))",
           // principal_id is a user or a group: no foreign key (as memberships).
           R"(CREATE TABLE license_assignments (
                tenant_id TEXT NOT NULL,
                principal_id TEXT NOT NULL,
                sku_id TEXT NOT NULL,
                principal_kind TEXT NOT NULL,
                disabled_plans TEXT NOT NULL,  -- JSON array
                created_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, principal_id, sku_id),
                FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, sku_id)))",
           "CREATE INDEX license_assignments_sku ON license_assignments (tenant_id, sku_id)",
           R"(CREATE TABLE environments (
                tenant_id TEXT NOT NULL REFERENCES tenants(id),
                id TEXT NOT NULL,
                display_name TEXT NOT NULL,
                unique_name TEXT NOT NULL,
                env_type TEXT NOT NULL,
                dataverse INTEGER NOT NULL,
                security_group_id TEXT,
                state TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, id)))",
           "CREATE UNIQUE INDEX environments_unique_name ON environments (tenant_id, unique_name)",
           // Exactly one Default environment per tenant.
           "CREATE UNIQUE INDEX environments_default ON environments (tenant_id) WHERE env_type = 'Default'",
           R"(CREATE TABLE env_security_roles (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                environment_id TEXT NOT NULL,
                name TEXT NOT NULL,
                privileges TEXT NOT NULL,  -- JSON array
                predefined INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, id),
                FOREIGN KEY (tenant_id, environment_id) REFERENCES environments (tenant_id, id)))",
           "CREATE UNIQUE INDEX env_security_roles_name ON env_security_roles (tenant_id, environment_id, name)",
           R"(CREATE TABLE env_role_assignments (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                environment_id TEXT NOT NULL,
                principal_id TEXT NOT NULL,
                principal_kind TEXT NOT NULL,
                role_id TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, id),
                FOREIGN KEY (tenant_id, environment_id) REFERENCES environments (tenant_id, id),
                FOREIGN KEY (tenant_id, role_id) REFERENCES env_security_roles (tenant_id, id)))",
           R"(CREATE UNIQUE INDEX env_role_assignments_unique
                ON env_role_assignments (tenant_id, environment_id, principal_id, role_id))",
           "CREATE INDEX env_role_assignments_principal ON env_role_assignments (tenant_id, principal_id)",
           R"(CREATE TABLE env_users (
                tenant_id TEXT NOT NULL,
                environment_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                added_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, environment_id, user_id),
                FOREIGN KEY (tenant_id, environment_id) REFERENCES environments (tenant_id, id)))",
           "CREATE INDEX env_users_user ON env_users (tenant_id, user_id)",
       }},
      {4,
       "signin",
       {
           R"(CREATE TABLE signin_sessions (
                id_hash TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                auth_method TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL))",
           R"(CREATE TABLE signin_codes (
                code_hash TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                redirect_uri TEXT NOT NULL,
                scope TEXT NOT NULL,
                nonce TEXT NOT NULL,
                code_challenge TEXT NOT NULL,
                idp TEXT NOT NULL,
                auth_time BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT))",
           R"(CREATE TABLE signin_refresh_tokens (
                token_hash TEXT PRIMARY KEY,
                family_id TEXT NOT NULL,
                tenant_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                scope TEXT NOT NULL,
                idp TEXT NOT NULL,
                auth_time BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT,
                revoked INTEGER NOT NULL))",
           "CREATE INDEX signin_refresh_family ON signin_refresh_tokens (family_id)",
           "CREATE INDEX signin_refresh_user ON signin_refresh_tokens (tenant_id, user_id)",
           R"(CREATE TABLE signin_device_codes (
                device_code_hash TEXT PRIMARY KEY,
                user_code TEXT NOT NULL,
                tenant_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                scope TEXT NOT NULL,
                status TEXT NOT NULL,
                user_id TEXT NOT NULL,
                idp TEXT NOT NULL,
                auth_time BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                interval_s BIGINT NOT NULL,
                last_poll_at BIGINT NOT NULL))",
           "CREATE INDEX signin_device_user_code ON signin_device_codes (user_code)",
           R"(CREATE TABLE signin_otps (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                email_lower TEXT NOT NULL,
                code_hash TEXT NOT NULL,
                expires_at BIGINT NOT NULL,
                attempts BIGINT NOT NULL,
                used_at BIGINT))",
           "CREATE INDEX signin_otps_email ON signin_otps (tenant_id, email_lower)",
           R"(CREATE TABLE signin_throttle (
                key TEXT PRIMARY KEY,
                count BIGINT NOT NULL,
                window_start BIGINT NOT NULL,
                locked_until BIGINT NOT NULL))",
       }},
      {5,
       "public_client_redirects",
       {
           "ALTER TABLE clients ADD COLUMN public_redirect_uris TEXT NOT NULL DEFAULT '[]'",
       }},
      {6,
       "tenant_documents",
       {
           R"(CREATE TABLE tenant_documents (
                tenant_id TEXT NOT NULL REFERENCES tenants(id),
                kind TEXT NOT NULL,
                body TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, kind)))",
       }},
      {7,
       "apps",
       {
           R"(CREATE TABLE apps (
                tenant_id TEXT NOT NULL REFERENCES tenants(id),
                id TEXT NOT NULL,
                environment_id TEXT NOT NULL,
                display_name TEXT NOT NULL,
                app_type TEXT NOT NULL,
                dataverse INTEGER NOT NULL,
                owner_id TEXT NOT NULL,
                shared_with_everyone INTEGER NOT NULL,
                shared_with TEXT NOT NULL,  -- JSON array of user and group ids
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, id)))",
           "CREATE INDEX apps_environment ON apps (tenant_id, environment_id)",
       }},
      {8,
       "invitations",
       {
           R"(CREATE TABLE invitations (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants(id),
                user_id TEXT NOT NULL,
                email TEXT NOT NULL,
                redirect_url TEXT NOT NULL,
                ticket_hash TEXT NOT NULL,
                status TEXT NOT NULL,
                inviter_id TEXT NOT NULL,
                message_json TEXT NOT NULL,
                send_message INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                redeemed_at BIGINT))",
           "CREATE INDEX invitations_user ON invitations (tenant_id, user_id)",
       }},
      {9,
       "bulk_invitations",
       {
           R"(CREATE TABLE bulk_jobs (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants(id),
                status TEXT NOT NULL,
                file_name TEXT NOT NULL,
                format TEXT NOT NULL,
                options_json TEXT NOT NULL,
                submitter_json TEXT NOT NULL,
                total_rows BIGINT NOT NULL,
                chunk_count BIGINT NOT NULL,
                next_chunk BIGINT NOT NULL,
                processed BIGINT NOT NULL,
                succeeded BIGINT NOT NULL,
                failed BIGINT NOT NULL,
                cancel_requested INTEGER NOT NULL,
                error TEXT,
                lease_owner TEXT,
                lease_expires_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                started_at BIGINT,
                finished_at BIGINT))",
           "CREATE INDEX bulk_jobs_tenant ON bulk_jobs (tenant_id, created_at)",
           "CREATE INDEX bulk_jobs_status ON bulk_jobs (status)",
           // The input, normalised: a JSON array of rows per chunk, deleted
           // once the chunk is processed.
           R"(CREATE TABLE bulk_job_chunks (
                job_id TEXT NOT NULL REFERENCES bulk_jobs(id),
                seq BIGINT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (job_id, seq)))",
           R"(CREATE TABLE bulk_job_results (
                job_id TEXT NOT NULL REFERENCES bulk_jobs(id),
                row_no BIGINT NOT NULL,
                email TEXT NOT NULL,
                email_lower TEXT NOT NULL,
                outcome TEXT NOT NULL,
                user_id TEXT NOT NULL,
                redeem_url TEXT NOT NULL,
                error TEXT NOT NULL,
                PRIMARY KEY (job_id, row_no)))",
           // row_no too, so "first row for this address" is answered by the index.
           "CREATE INDEX bulk_job_results_email ON bulk_job_results (job_id, email_lower, row_no)",
       }},
      {10,
       "users_mail_ordered",
       {
           // Lookups by mail are ORDER BY id: without id in the index SQLite
           // preferred walking the whole tenant in primary-key order.
           "DROP INDEX users_mail",
           "CREATE INDEX users_mail ON users (tenant_id, mail_lower, id)",
       }},
      {11,
       "mail_shared_bodies",
       {
           // A rendering shared by many queued mails (a bulk job's invitations),
           // stored once and keyed by its content's SHA-256: each outbox row
           // then holds only its own values for the rendering's slots, a few
           // hundred bytes instead of a ~3.5 KB copy of the whole mail.
           R"(CREATE TABLE mail_bodies (
                id TEXT PRIMARY KEY,
                subject TEXT NOT NULL,
                text_body TEXT NOT NULL,
                html_body TEXT NOT NULL,
                created_at BIGINT NOT NULL))",
           "ALTER TABLE mail_outbox ADD COLUMN body_id TEXT REFERENCES mail_bodies(id)",
           // JSON [[slot, value], …]; '[]' for a mail stored whole.
           "ALTER TABLE mail_outbox ADD COLUMN fills TEXT NOT NULL DEFAULT '[]'",
       }},
      {12,
       "mail_body_slots",
       {
           // A shared rendering names its slots once — JSON [[text, value
           // index, HTML-escaped], …] — and each mail stores only its values
           // (fills '["ann@…", "https://…"]'): ~400 bytes less a bulk-invited
           // guest than a [slot text, value] pair per slot and form. Bodies
           // from before keep '[]' and their mails the pairs.
           "ALTER TABLE mail_bodies ADD COLUMN slots TEXT NOT NULL DEFAULT '[]'",
       }},
      {13,
       "privilege_boundaries",
       {
           // A user's sign-in sessions and refresh tokens issued before this
           // time (ms) are revoked (Graph's signInSessionsValidFromDateTime):
           // set by a password reset, a disable, a redemption reset and
           // revokeSignInSessions, and checked for the home account too.
           "ALTER TABLE users ADD COLUMN sessions_valid_from BIGINT NOT NULL DEFAULT 0",
           // Role-assignable groups. A group that already holds a directory
           // role becomes one, so that only Global and Privileged Role
           // Administrators change who is in it.
           "ALTER TABLE groups ADD COLUMN is_assignable_to_role INTEGER NOT NULL DEFAULT 0",
           R"(UPDATE groups SET is_assignable_to_role = 1 WHERE EXISTS (
                SELECT 1 FROM role_assignments a WHERE a.tenant_id = groups.tenant_id AND a.principal_id = groups.id))",
           // Whether the grant began with the client's secret: then every
           // refresh needs the secret too. Rows from before count as such
           // (a public client's user signs in again once).
           "ALTER TABLE signin_refresh_tokens ADD COLUMN client_authenticated INTEGER NOT NULL DEFAULT 1",
           // Sign-in times in milliseconds, as sessions and sessions_valid_from
           // count them: a revocation then ends every earlier sign-in exactly.
           "UPDATE signin_codes SET auth_time = auth_time * 1000",
           "UPDATE signin_refresh_tokens SET auth_time = auth_time * 1000",
           "UPDATE signin_device_codes SET auth_time = auth_time * 1000",
       }},
      {14,
       "permissions_and_consent",
       {
           // Graph's requiredResourceAccess of an app registration, as JSON.
           "ALTER TABLE clients ADD COLUMN required_resource_access TEXT NOT NULL DEFAULT '[]'",
           // Graph's oauth2PermissionGrants: who consented to which client
           // using which scopes (space-separated, as Graph keeps them) on which
           // resource. principal_id is '' for consent on behalf of everyone.
           R"(CREATE TABLE oauth2_permission_grants (
                tenant_id TEXT NOT NULL REFERENCES tenants(id),
                id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                consent_type TEXT NOT NULL,
                principal_id TEXT NOT NULL,
                resource_id TEXT NOT NULL,
                scope TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, id)))",
           R"(CREATE UNIQUE INDEX oauth2_permission_grants_unique
                ON oauth2_permission_grants (tenant_id, client_id, consent_type, principal_id, resource_id))",
       }},
      {15,
       "data_at_rest",
       {
           // Mail already delivered or given up drops its bodies, which hold
           // redeem links and one-time codes, as MarkSent now does (security
           // review #9); recipients, subject, kind, times and errors stay.
           R"(UPDATE mail_outbox SET
                subject = CASE WHEN body_id IS NULL THEN subject ELSE
                  COALESCE((SELECT b.subject FROM mail_bodies b WHERE b.id = mail_outbox.body_id), '') END,
                text_body = '', html_body = '', body_id = NULL, fills = '[]'
              WHERE sent_at IS NOT NULL OR gave_up = 1)",
           // Environment URLs (/env/{unique_name}) name no tenant, so the
           // name is made unique across tenants (security review #15). Names
           // two tenants share stay with the environment made first (then
           // the lower tenant id); the others get their id appended, kept
           // within 63 characters. Deterministic, so every server of a
           // database computes the same.
           R"(UPDATE environments SET unique_name = substr(unique_name, 1, 26) || '-' || id
              WHERE EXISTS (SELECT 1 FROM environments o WHERE o.unique_name = environments.unique_name
                AND (o.created_at < environments.created_at
                  OR (o.created_at = environments.created_at AND o.tenant_id < environments.tenant_id))))",
           "DROP INDEX environments_unique_name",
           "CREATE UNIQUE INDEX environments_unique_name ON environments (unique_name)",
       }},
      {16,
       "signin_expiry",
       {
           // The purge deletes what has expired; without these it would scan
           // each table whole.
           "CREATE INDEX signin_sessions_expiry ON signin_sessions (expires_at)",
           "CREATE INDEX signin_codes_expiry ON signin_codes (expires_at)",
           "CREATE INDEX signin_refresh_expiry ON signin_refresh_tokens (expires_at)",
           "CREATE INDEX signin_device_expiry ON signin_device_codes (expires_at)",
           "CREATE INDEX signin_otps_expiry ON signin_otps (expires_at)",
           // When a throttle row stops meaning anything (set by the sign-in
           // service, which knows each counter's window or decay). Rows from
           // before get a day after their last event: longer than any window.
           "ALTER TABLE signin_throttle ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0",
           "UPDATE signin_throttle SET expires_at = "
           "(CASE WHEN locked_until > window_start THEN locked_until ELSE window_start END) + 86400000",
           "CREATE INDEX signin_throttle_expiry ON signin_throttle (expires_at)",
           // The approval page shows where and when a device code was started.
           "ALTER TABLE signin_device_codes ADD COLUMN origin_address TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE signin_device_codes ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0",
       }},
      {17,
       "change_feed",
       {
           // What committed writes changed (store.h, "The change feed"); ids
           // is a JSON array, or "*" for every object of the kind.
           R"(CREATE TABLE changes (
                seq BIGINT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                ids TEXT NOT NULL,
                at BIGINT NOT NULL))",
           "CREATE INDEX changes_at ON changes (at)",
           // One row: the last sequence number handed out.
           "CREATE TABLE change_counter (id INTEGER PRIMARY KEY, last_seq BIGINT NOT NULL)",
           "INSERT INTO change_counter (id, last_seq) VALUES (1, 0)",
       }},
  };
  return kMigrations;
}

StatusOr<int> Migrate(sql::Connection& conn) {
  GH_RETURN_IF_ERROR(InTransaction(conn, [&] {
    return conn.Run(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  }));
  int current = 0;
  for (const Migration& m : Migrations()) {
    GH_RETURN_IF_ERROR(InTransaction(conn, [&]() -> Status {
      GH_ASSIGN_OR_RETURN(sql::Rows done,
                          conn.Query("SELECT 1 FROM schema_migrations WHERE version = $1", {sql::Int(m.version)}));
      if (!done.empty()) return OkStatus();  // applied earlier (or by another server)
      for (std::string_view stmt : m.statements) {
        Status st = conn.Run(stmt);
        if (!st.ok()) {
          return Status(st.code(), "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                                       "): " + st.message());
        }
      }
      int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
      return conn
          .Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                {sql::Int(m.version), sql::Text(std::string(m.name)), sql::Int(now)})
          .status();
    }));
    current = m.version;
  }
  return current;
}

}  // namespace gh::store
