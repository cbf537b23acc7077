#pragma once

// Which database a command talks to (SPEC §2), and safe handling of
// connection strings: passwords are never printed.

#include <analytics/config/config.hpp>
#include <analytics/config/env.hpp>
#include <analytics/util/conninfo_mask.hpp>

#include <string>

namespace analytics::db {

enum class TargetKind {
    external, // a server named by --db, the environment or the config file
    embedded  // the private cluster under $ANALYTICS_HOME
};

struct Target {
    TargetKind kind = TargetKind::embedded;
    // libpq conninfo string or URI, without fallback_application_name;
    // empty for libpq's own environment and for the embedded cluster.
    std::string conninfo;
    // Where the choice came from: "--db", "ANALYTICS_DB", "DATABASE_URL",
    // "configuration file", "libpq environment (PGHOST)", "embedded default".
    std::string source;
};

// First found wins: --db, ANALYTICS_DB, DATABASE_URL, the config file's
// 'database' section, libpq's environment (PGHOST, PGHOSTADDR, PGPORT,
// PGDATABASE, PGUSER, PGSERVICE); otherwise the embedded default.
// Throws UsageError when --db carries a password.
Target resolve_target(const std::string& cli_db, const config::Database& configured,
                      const config::EnvLookup& env);

// Appends fallback_application_name in the syntax of 'conninfo' (keyword
// string or URI), so PGAPPNAME or an explicit application_name still win.
std::string with_application_name(const std::string& conninfo, const std::string& name);

// quote_conninfo_value lives in util/conninfo_mask.hpp (password masking
// rebuilds keyword strings too).
using analytics::quote_conninfo_value;

} // namespace analytics::db
