#pragma once

// Schema migrations: the numbered files of sql/, embedded in the binary at
// build time, applied in order, each in its own transaction, recorded in
// schema_migrations, under an advisory lock.

#include <analytics/db/session.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace analytics::db {

struct Migration {
    int version;
    std::string name; // from the file name: 0001_initial_schema.sql -> "initial_schema"
    std::string sql;
};

// All migrations, ordered by version (generated from sql/ at build time).
const std::vector<Migration>& embedded_migrations();

// A stable fingerprint of a migration's text (FNV-1a 64, hex).
std::string migration_checksum(const std::string& sql);

struct SchemaState {
    int current = 0;                            // highest applied version, 0 if none
    int latest = 0;                             // highest embedded version
    std::vector<int> missing;                   // embedded versions below `current` not applied
    std::optional<std::string> stored_timezone; // from the settings row
};

SchemaState schema_state(Session& session);

// Throws ConfigError (78) when the schema is missing, older or newer than this
// binary, lacks a migration below its version, or was built for another time
// zone than the configuration's.
void check_schema(Session& session, const SchemaState& state);

struct MigrateOptions {
    bool dry_run = false;
    std::ostream* sql_out = nullptr; // receives the SQL of pending migrations in dry-run mode
    // database.buffer_unlogged: after the migrations, opentelemetry_buffer is
    // made UNLOGGED (true) or logged (false) if it is not already.
    bool buffer_unlogged = false;
};

struct MigrateResult {
    int from_version = 0;
    int to_version = 0;
    std::vector<Migration> pending; // applied, or that would be applied in dry-run mode
    bool dry_run = false;
    // "UNLOGGED" or "LOGGED" when opentelemetry_buffer was set so (in a dry
    // run: may be, as the pending migrations leave it); empty otherwise.
    std::string buffer_set;
};

// True when the session's schema has an access_logs table that analytics
// did not make (no schema_migrations beside it): geOrchestra's, which
// migrate refuses and migrate --adopt takes over. Outside a transaction.
bool foreign_access_logs(Session& session);

MigrateResult migrate(Session& session, const MigrateOptions& options);

} // namespace analytics::db
