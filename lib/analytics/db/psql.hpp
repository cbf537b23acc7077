#pragma once

// 'analytics db psql': an interactive psql on whichever database is configured.

#include <analytics/db/session.hpp>

#include <string>
#include <vector>

namespace analytics::db {

// Resolves the database like open_session (starting the embedded cluster if
// needed), then replaces this process with psql, passing 'arguments' through.
// A password in the connection string travels in PGPASSWORD, never in argv.
// The session opens in the configured schema and time zone.
[[noreturn]] void exec_psql(const OpenOptions& options, const std::vector<std::string>& arguments);

} // namespace analytics::db
