#pragma once

// The one table from database errors to the exit statuses of SPEC §6 (as
// pgBackRest keeps one error.yaml). Every path asks it: the top of the
// executable, the load paths that add what a failure means for the data, the
// multi-step jobs that go on after a failed step unless the database is gone,
// and the batch writer that isolates bad rows.

#include <analytics/util/errors.hpp>

#include <exception>
#include <string_view>

namespace analytics::db {

struct SqlStateRule {
    std::string_view state;    // a class ("08"), a prefix ("57P") or a code ("40P01")
    ExitStatus status;         // what the process returns
    bool bad_rows;             // the rows are at fault, not the database: isolate them
    std::string_view meaning;  // for people reading this table
    std::string_view advice{}; // added to the message at the top, when set
};

// The longest matching state wins; a state no rule names is a failed step.
// libpqxx 6.4 reports most states as exception types without a SQLSTATE;
// they are looked up as the state they stand for (see sqlstate_of).
inline constexpr std::string_view migrate_advice =
    "is the schema migrated? run 'analytics migrate'";
inline constexpr SqlStateRule sqlstate_rules[] = {
    {"08", ExitStatus::unavailable, false, "connection exception: the database went away"},
    {"57P", ExitStatus::unavailable, false, "the server is shutting down or restarting"},
    {"53", ExitStatus::temp_fail, false, "insufficient resources: out of memory, connections"},
    {"53100", ExitStatus::cant_create, false, "disk full under the database",
     "the database server's disk is full: free space there and run the command again"},
    {"55P03", ExitStatus::temp_fail, false, "lock not available (lock_timeout)"},
    {"40001", ExitStatus::temp_fail, false, "serialization failure: try again"},
    {"40P01", ExitStatus::temp_fail, false, "deadlock detected: try again"},
    {"28", ExitStatus::no_perm, false, "invalid authorization: password or role refused"},
    {"42501", ExitStatus::no_perm, false, "insufficient privilege: permission denied"},
    {"22", ExitStatus::data, true, "data exception: a value its column cannot hold"},
    {"23", ExitStatus::step_failed, true, "integrity constraint violation (a duplicate)"},
    {"54", ExitStatus::step_failed, true, "program limit exceeded (a value too large)"},
    {"3F000", ExitStatus::config, false, "invalid schema name", migrate_advice},
    {"42P01", ExitStatus::config, false, "undefined table", migrate_advice},
    {"42703", ExitStatus::config, false, "undefined column", migrate_advice},
};

// The rule for a SQLSTATE ("" and unknown states: a failed step).
const SqlStateRule& rule_for(std::string_view sqlstate) noexcept;

// The SQLSTATE a libpqxx exception stands for ("" when it has none, or when
// it is not a libpqxx failure). An in_doubt_error is 08007 (transaction
// resolution unknown): the connection broke during COMMIT.
std::string_view sqlstate_of(const std::exception& error) noexcept;

// The exit status of a libpqxx failure, from the table; of our own errors,
// theirs; of anything else, internal error.
ExitStatus exit_status_for(const std::exception& error) noexcept;

// The database went away (69): a multi-step job stops rather than failing
// every following step in turn.
bool database_gone(const std::exception& error) noexcept;

// The rows of a statement are at fault (a bad value, a duplicate): the writer
// retries row by row and stores the others.
bool bad_rows(const std::exception& error) noexcept;

// exit_report_for (util/errors.hpp) that also knows libpqxx's exceptions: the
// one the executable calls.
ExitReport exit_report_for(const std::exception_ptr& error);

} // namespace analytics::db
