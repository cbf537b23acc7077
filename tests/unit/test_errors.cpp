#include <analytics/db/error_table.hpp>
#include <analytics/util/errors.hpp>

#include <doctest/doctest.h>
#include <pqxx/except>

#include <iterator>
#include <ostream>

using namespace analytics;

namespace {

template <typename E>
ExitReport report_of(const E& error) {
    return db::exit_report_for(std::make_exception_ptr(error));
}

int status_of_sqlstate(const char* state) {
    return static_cast<int>(report_of(pqxx::sql_error("boom", "SELECT 1", state)).status);
}

} // namespace

TEST_SUITE("exit codes") {
    TEST_CASE("typed errors carry SPEC §6 statuses") {
        CHECK(static_cast<int>(report_of(UsageError("u")).status) == 64);
        CHECK(static_cast<int>(report_of(DataError("d")).status) == 65);
        CHECK(static_cast<int>(report_of(InputError("i")).status) == 66);
        CHECK(static_cast<int>(report_of(DbUnavailable("x")).status) == 69);
        CHECK(static_cast<int>(report_of(OutputError("o")).status) == 73);
        CHECK(static_cast<int>(report_of(LockBusy("l")).status) == 75);
        CHECK(static_cast<int>(report_of(ConfigError("c")).status) == 78);
        CHECK(static_cast<int>(report_of(StepFailed("s")).status) == 1);
        CHECK(report_of(LockBusy("another run holds the lock")).message ==
              "another run holds the lock");
    }

    TEST_CASE("the table of statuses: each once, in numeric order, with a meaning") {
        int previous = -1;
        for (const auto& entry : exit_statuses) {
            CAPTURE(static_cast<int>(entry.status));
            CHECK(static_cast<int>(entry.status) > previous);
            CHECK_FALSE(entry.meaning.empty());
            previous = static_cast<int>(entry.status);
        }
        // SPEC §6: every code it names.
        CHECK(std::size(exit_statuses) == 11);
        CHECK(static_cast<int>(ExitStatus::cant_create) == 73);
        CHECK(static_cast<int>(ExitStatus::no_perm) == 77);
    }

    TEST_CASE("libpqxx errors") {
        CHECK(static_cast<int>(report_of(pqxx::broken_connection("gone\n")).status) == 69);
        CHECK(report_of(pqxx::broken_connection("gone\n")).message == "database unavailable: gone");
        // The connection broke during COMMIT: the database is unavailable,
        // as on the load paths (it was 75 here, 69 there).
        CHECK(static_cast<int>(report_of(pqxx::in_doubt_error("?")).status) == 69);
        CHECK(report_of(pqxx::in_doubt_error("?\n")).message ==
              "commit outcome unknown, re-run to reconcile: ?");
        CHECK(static_cast<int>(report_of(pqxx::conversion_error("c")).status) == 65);
        CHECK(status_of_sqlstate("08006") == 69); // connection failure
        CHECK(status_of_sqlstate("57P01") == 69); // admin shutdown
        CHECK(status_of_sqlstate("53100") == 73); // disk full under the database
        CHECK(status_of_sqlstate("40P01") == 75); // deadlock
        // libpqxx 6 throws a deadlock as its own type, not an sql_error.
        CHECK(static_cast<int>(report_of(pqxx::deadlock_detected("d")).status) == 75);
        CHECK(status_of_sqlstate("22P02") == 65); // invalid text representation
        CHECK(status_of_sqlstate("42P01") == 78); // undefined table: schema not migrated
        CHECK(report_of(pqxx::sql_error("no table\n", "SELECT 1", "42P01")).message ==
              "database error: no table (is the schema migrated? run 'analytics migrate')");
        CHECK(status_of_sqlstate("23505") == 1); // unique violation: a failed step
    }

    TEST_CASE("anything else is an internal error") {
        CHECK(static_cast<int>(report_of(std::runtime_error("x")).status) == 70);
        CHECK(static_cast<int>(report_of(std::bad_alloc()).status) == 70);
        CHECK(static_cast<int>(db::exit_report_for(std::make_exception_ptr(42)).status) == 70);
        // util/ alone knows nothing of libpqxx: a database error is not ours.
        CHECK(static_cast<int>(
                  exit_report_for(std::make_exception_ptr(pqxx::sql_error("x", "", "08006")))
                      .status) == 70);
    }
}
