// The batch writer (load/batch_loader.hpp) against a real database: the three
// write modes, the bad rows isolated by halving (copy_isolating), the
// duplicates skipped, and the rolled-up days marked dirty.

#include "../../unit/utc_time.hpp"
#include "tempdb.hpp"

#include <analytics/load/batch.hpp>
#include <analytics/load/batch_loader.hpp>
#include <analytics/storage/rollup_jobs.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace analytics;

namespace {

// A request at 'iso' (UTC), with a few columns of each kind set.
record::AccessRecord request(const std::string& id, const char* iso, int status) {
    record::AccessRecord r;
    r.id = id;
    r.ts_us = utc(iso);
    r.request_method.set("GET");
    r.request_path.set("/geoserver/wms");
    r.status_code.set(status);
    r.response_size.set(1000 + status);
    r.roles.items = {"ROLE_USER"};
    r.roles.null = false;
    r.context_data.set_string("layer", "roads");
    return r;
}

// The same, with a context_data value that jsonb refuses (22P02).
record::AccessRecord bad_request(const std::string& id, const char* iso) {
    record::AccessRecord r = request(id, iso, 500);
    r.context_data.set_raw("broken", "{not json");
    return r;
}

const char* const stored_rows =
    "SELECT id, ts, request_method, request_path, status_code, response_size, roles, "
    "context_data FROM access_logs ORDER BY ts, id";

// A stored row of request(id, iso-as-PostgreSQL-prints-it, status).
std::string row(const std::string& id, const std::string& ts, int status) {
    return id + "|" + ts + "+00|GET|/geoserver/wms|" + std::to_string(status) + "|" +
           std::to_string(1000 + status) + "|{ROLE_USER}|{\"layer\": \"roads\"}";
}

struct Loader : tempdb::Schema {
    time::LocalZone zone{"UTC"};
    load::Batch batch{zone};

    // Writes the batch in one transaction with 'mode' (partitions first), commits.
    load::WriteOutcome write(load::WriteMode mode) {
        load::PartitionKeeper(session()).ensure(batch);
        pqxx::work tx(connection());
        auto outcome = load::write_batch(tx, session(), batch, mode);
        tx.commit();
        return outcome;
    }
};

} // namespace

TEST_CASE_FIXTURE(Loader, "direct: the rows are COPied as they are") {
    batch.add(request("a", "2026-03-10T08:00:00Z", 200));
    batch.add(request("b", "2026-03-10T09:30:00Z", 404));
    batch.add(request("c", "2026-04-01T00:00:00Z", 200));
    const auto outcome = write(load::WriteMode::direct);
    CHECK(outcome.stored == 3);
    CHECK(outcome.duplicates == 0);
    CHECK(outcome.failures.empty());
    CHECK(rows(stored_rows) == std::vector<std::string>{row("a", "2026-03-10 08:00:00", 200),
                                                        row("b", "2026-03-10 09:30:00", 404),
                                                        row("c", "2026-04-01 00:00:00", 200)});
}

TEST_CASE_FIXTURE(Loader, "direct: a row already stored fails the transaction, for the caller "
                          "to retry") {
    batch.add(request("a", "2026-03-10T08:00:00Z", 200));
    write(load::WriteMode::direct);
    batch.add(request("b", "2026-03-10T09:00:00Z", 200));
    try {
        write(load::WriteMode::direct);
        FAIL("a duplicate was written");
    } catch (const pqxx::sql_error& e) {
        CHECK(e.sqlstate() == "23505");
    }
    CHECK(rows("SELECT id FROM access_logs") == std::vector<std::string>{"a"});
}

TEST_CASE_FIXTURE(Loader, "savepoint: rows already stored are skipped, and the transaction "
                          "keeps what it did before") {
    batch.add(request("a", "2026-03-10T08:00:00Z", 200));
    batch.add(request("b", "2026-03-10T09:00:00Z", 200));
    write(load::WriteMode::direct);
    batch.add(request("c", "2026-03-11T10:00:00Z", 301));
    batch.add(request("d", "2026-03-11T11:00:00Z", 200));

    load::PartitionKeeper(session()).ensure(batch);
    pqxx::work tx(connection());
    tx.exec("INSERT INTO maintenance_state (job_name) VALUES ('written before')");
    const auto outcome = load::write_batch(tx, session(), batch, load::WriteMode::savepoint);
    tx.commit();

    CHECK(outcome.stored == 2);
    CHECK(outcome.duplicates == 2);
    CHECK(outcome.failures.empty());
    CHECK(rows(stored_rows) == std::vector<std::string>{row("a", "2026-03-10 08:00:00", 200),
                                                        row("b", "2026-03-10 09:00:00", 200),
                                                        row("c", "2026-03-11 10:00:00", 301),
                                                        row("d", "2026-03-11 11:00:00", 200)});
    CHECK(rows("SELECT count(*) FROM maintenance_state WHERE job_name = 'written before'") ==
          std::vector<std::string>{"1"});
}

TEST_CASE_FIXTURE(Loader, "exact: bad rows are found by halving and reported; the others are "
                          "stored") {
    batch.add(request("stored", "2026-03-10T07:00:00Z", 200));
    write(load::WriteMode::direct);
    batch.clear();
    // Eight rows: two that jsonb refuses, one already stored.
    batch.add(request("r0", "2026-03-10T08:00:00Z", 200));
    batch.add(request("r1", "2026-03-10T08:01:00Z", 200));
    batch.add(bad_request("r2", "2026-03-10T08:02:00Z"));
    batch.add(request("r3", "2026-03-10T08:03:00Z", 200));
    batch.add(request("stored", "2026-03-10T07:00:00Z", 200));
    batch.add(bad_request("r5", "2026-03-10T08:05:00Z"));
    batch.add(request("r6", "2026-03-10T08:06:00Z", 200));
    batch.add(request("r7", "2026-03-10T08:07:00Z", 200));

    const auto outcome = write(load::WriteMode::exact);

    REQUIRE(outcome.failures.size() == 2);
    CHECK(outcome.failures[0].row == 2);
    CHECK(outcome.failures[1].row == 5);
    for (const auto& failure : outcome.failures) {
        CHECK(failure.table == load::Table::access_logs);
        CHECK(failure.error.find("json") != std::string::npos);
    }
    CHECK(outcome.stored == 5);
    CHECK(outcome.duplicates == 1);
    CHECK(rows(stored_rows) ==
          std::vector<std::string>{
              row("stored", "2026-03-10 07:00:00", 200), row("r0", "2026-03-10 08:00:00", 200),
              row("r1", "2026-03-10 08:01:00", 200), row("r3", "2026-03-10 08:03:00", 200),
              row("r6", "2026-03-10 08:06:00", 200), row("r7", "2026-03-10 08:07:00", 200)});
}

TEST_CASE_FIXTURE(Loader, "savepoint: a bad row sends the batch down the exact path") {
    batch.add(request("r0", "2026-03-10T08:00:00Z", 200));
    batch.add(bad_request("r1", "2026-03-10T08:01:00Z"));
    batch.add(request("r2", "2026-03-10T08:02:00Z", 204));
    const auto outcome = write(load::WriteMode::savepoint);
    REQUIRE(outcome.failures.size() == 1);
    CHECK(outcome.failures[0].row == 1);
    CHECK(outcome.stored == 2);
    CHECK(outcome.duplicates == 0);
    CHECK(rows(stored_rows) == std::vector<std::string>{row("r0", "2026-03-10 08:00:00", 200),
                                                        row("r2", "2026-03-10 08:02:00", 204)});
}

TEST_CASE_FIXTURE(Loader, "the days already rolled up that receive rows are marked dirty") {
    const auto jobs = storage::jobs_reading("access_logs");
    REQUIRE_FALSE(jobs.empty());
    exec("INSERT INTO maintenance_state (job_name, last_processed_date) VALUES ('" + jobs[0] +
         "', '2026-03-10') ON CONFLICT (job_name) DO UPDATE SET last_processed_date = "
         "excluded.last_processed_date");
    batch.add(request("a", "2026-03-09T12:00:00Z", 200)); // rolled up
    batch.add(request("b", "2026-03-10T12:00:00Z", 200)); // rolled up
    batch.add(request("c", "2026-03-11T12:00:00Z", 200)); // not yet
    for (const auto mode :
         {load::WriteMode::direct, load::WriteMode::savepoint, load::WriteMode::exact}) {
        CAPTURE(static_cast<int>(mode));
        exec("TRUNCATE access_logs, rollup_dirty_days");
        const auto outcome = write(mode);
        CHECK(outcome.stored == 3);
        CHECK(outcome.dirty_days == 2);
        CHECK(rows("SELECT job_name, day FROM rollup_dirty_days ORDER BY day") ==
              std::vector<std::string>{jobs[0] + "|2026-03-09", jobs[0] + "|2026-03-10"});
    }
}
