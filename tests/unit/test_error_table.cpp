#include <analytics/db/error_table.hpp>

#include <doctest/doctest.h>
#include <pqxx/except>

#include <set>
#include <string>

using namespace analytics;

namespace {

int status_of(const std::exception& error) {
    return static_cast<int>(db::exit_status_for(error));
}

int status_of_state(const char* state) {
    return static_cast<int>(db::rule_for(state).status);
}

} // namespace

TEST_SUITE("error table") {
    TEST_CASE("the table is well formed") {
        std::set<std::string_view> seen;
        for (const auto& rule : db::sqlstate_rules) {
            CAPTURE(rule.state);
            CHECK(rule.state.size() >= 2);
            CHECK(rule.state.size() <= 5);
            CHECK(seen.insert(rule.state).second); // each state once
            CHECK_FALSE(rule.meaning.empty());
            // Only statuses of SPEC §6 that a database error can mean.
            const std::set<ExitStatus> allowed{ExitStatus::step_failed, ExitStatus::data,
                                               ExitStatus::unavailable, ExitStatus::temp_fail,
                                               ExitStatus::no_perm,     ExitStatus::config,
                                               ExitStatus::cant_create};
            CHECK(allowed.count(rule.status) == 1);
            CHECK(db::rule_for(rule.state).state == rule.state); // reachable
        }
    }

    TEST_CASE("SQLSTATEs: the longest matching class or code wins") {
        CHECK(status_of_state("08006") == 69); // connection failure
        CHECK(status_of_state("08007") == 69); // transaction resolution unknown
        CHECK(status_of_state("57P01") == 69); // admin shutdown
        CHECK(status_of_state("57014") == 1);  // query canceled: not a shutdown
        CHECK(status_of_state("53100") == 73); // disk full: said so, not "try later"
        CHECK(status_of_state("53200") == 75); // out of memory
        CHECK(status_of_state("53300") == 75); // too many connections
        CHECK(status_of_state("55P03") == 75); // lock not available
        CHECK(status_of_state("55000") == 1);  // object not in prerequisite state
        CHECK(status_of_state("40001") == 75); // serialization failure
        CHECK(status_of_state("40P01") == 75); // deadlock
        CHECK(status_of_state("22P02") == 65); // invalid text representation
        CHECK(status_of_state("42P01") == 78); // undefined table: schema not migrated
        CHECK(status_of_state("42703") == 78); // undefined column
        CHECK(status_of_state("3F000") == 78); // invalid schema name
        CHECK(status_of_state("42601") == 1);  // syntax error: a failed step
        CHECK(status_of_state("28P01") == 77); // wrong password
        CHECK(status_of_state("28000") == 77); // role may not log in
        CHECK(status_of_state("42501") == 77); // permission denied on a table
        CHECK(status_of_state("23505") == 1);  // unique violation: a failed step
        CHECK(status_of_state("") == 1);
        CHECK_FALSE(db::rule_for("42P01").advice.empty());
    }

    TEST_CASE("bad rows: values and duplicates, not the database") {
        CHECK(db::bad_rows(pqxx::sql_error("x", "COPY", "22P02")));
        CHECK(db::bad_rows(pqxx::sql_error("x", "COPY", "23505")));
        CHECK(db::bad_rows(pqxx::sql_error("x", "COPY", "54000")));
        CHECK_FALSE(db::bad_rows(pqxx::sql_error("x", "COPY", "53100")));
        CHECK_FALSE(db::bad_rows(pqxx::sql_error("x", "COPY", "08006")));
        CHECK_FALSE(db::bad_rows(std::runtime_error("22P02")));
    }

    TEST_CASE("a Citus worker lost mid-transaction (XX000 with Citus' text) is unavailable") {
        CHECK(status_of(pqxx::sql_error(
                  "ERROR:  failure on connection marked as essential: 127.0.0.1:20455\n", "COPY",
                  "XX000")) == 69);
        CHECK(status_of(pqxx::sql_error("ERROR:  some internal error\n", "COPY", "XX000")) == 1);
    }

    TEST_CASE("a Citus worker whose connection closed during a command is unavailable") {
        // Citus passes libpq's own error on (no SQLSTATE of the worker: XX000)
        // with the worker named in the context (remote_commands.c
        // ReportResultError); seen when a worker stopped during a COPY.
        CHECK(status_of(pqxx::sql_error(
                  "ERROR:  server closed the connection unexpectedly\n\tThis probably means the "
                  "server terminated abnormally\n\tbefore or while processing the request.\n"
                  "CONTEXT:  while executing command on 127.0.0.1:43156\nCOPY access_logs, "
                  "line 6: \"1c93809f9354b3fe\"\n",
                  "COPY", "XX000")) == 69);
        CHECK(status_of(pqxx::sql_error("ERROR:  connection not open\nCONTEXT:  while executing "
                                        "command on 127.0.0.1:5433\n",
                                        "COPY", "XX000")) == 69);
        // A worker's own internal error stays one.
        CHECK(status_of(pqxx::sql_error("ERROR:  cache lookup failed\nCONTEXT:  while executing "
                                        "command on 127.0.0.1:5433\n",
                                        "COPY", "XX000")) == 1);
    }

    TEST_CASE("libpqxx 6 types without a SQLSTATE are looked up as the state they stand for") {
        CHECK(db::sqlstate_of(pqxx::in_doubt_error("?")) == "08007");
        CHECK(status_of(pqxx::in_doubt_error("?")) == 69);
        CHECK(status_of(pqxx::broken_connection("gone")) == 69);
        CHECK(status_of(pqxx::too_many_connections("full")) == 75);
        CHECK(status_of(pqxx::deadlock_detected("d")) == 75);
        CHECK(status_of(pqxx::serialization_failure("s")) == 75);
        CHECK(status_of(pqxx::statement_completion_unknown("?")) == 1);
        CHECK(status_of(pqxx::failure("a COPY write failed")) == 1);
        CHECK(status_of(pqxx::conversion_error("c")) == 65);
    }

    TEST_CASE("libpqxx 6.4's typed SQL errors carry no SQLSTATE: their type gives it") {
        // What libpqxx 6.4 throws for "permission denied for table …": the
        // state is empty, and the status was a failed step (1) instead of 77.
        CHECK(pqxx::insufficient_privilege("denied").sqlstate().empty());
        CHECK(status_of(pqxx::insufficient_privilege("denied")) == 77);
        CHECK(db::sqlstate_of(pqxx::disk_full("No space left on device")) == "53100");
        CHECK(status_of(pqxx::disk_full("No space left on device")) == 73);
        CHECK(status_of(pqxx::out_of_memory("oom")) == 75);
        CHECK(status_of(pqxx::undefined_table("no such table")) == 78);
        CHECK(status_of(pqxx::undefined_column("no such column")) == 78);
        CHECK(status_of(pqxx::syntax_error("syntax")) == 1);
        CHECK(db::bad_rows(pqxx::data_exception("bad value")));
        CHECK(db::bad_rows(pqxx::unique_violation("duplicate")));
        CHECK(db::sqlstate_of(pqxx::unique_violation("duplicate")) == "23505");
        // A state libpqxx did give wins over the type's.
        CHECK(db::sqlstate_of(pqxx::data_exception("x", "", "22P02")) == "22P02");
    }

    TEST_CASE("the database is gone: multi-step jobs stop") {
        CHECK(db::database_gone(pqxx::broken_connection("gone")));
        CHECK(db::database_gone(pqxx::in_doubt_error("?")));
        CHECK(db::database_gone(pqxx::sql_error("x", "", "57P01")));
        CHECK(db::database_gone(DbUnavailable("x")));
        CHECK_FALSE(db::database_gone(pqxx::deadlock_detected("d")));
        CHECK_FALSE(db::database_gone(pqxx::sql_error("x", "", "23505")));
        CHECK_FALSE(db::database_gone(StepFailed("x")));
    }

    TEST_CASE("ours and anything else") {
        CHECK(status_of(LockBusy("l")) == 75);
        CHECK(status_of(std::runtime_error("x")) == 70);
    }
}
