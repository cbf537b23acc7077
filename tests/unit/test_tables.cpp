#include <analytics/config/config.hpp>
#include <analytics/load/batch.hpp>
#include <analytics/storage/partitions.hpp>
#include <analytics/storage/rollup_jobs.hpp>
#include <analytics/storage/tables.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <ostream> // doctest stringifies std::string through it
#include <string>

using namespace analytics;

TEST_SUITE("storage") {
    TEST_CASE("the table catalogue: raw tables in load order, with their keys and retention") {
        CHECK(std::string(load::table_name(load::Table::access_logs)) == "access_logs");
        CHECK(std::string(load::table_name(load::Table::search_impressions)) ==
              "search_impressions");
        CHECK(std::string(load::table_name(load::Table::events)) == "events");
        CHECK(std::string(load::key_column(load::Table::access_logs)) == "ts");
        CHECK(std::string(load::key_column(load::Table::searches)) == "occurred_at");
        REQUIRE(storage::raw_tables().size() == load::table_count);
        auto config = config::defaults();
        config.retention.search_impressions = 12;
        config.retention.events.reset();
        CHECK(storage::retention_days(config, "access_logs") == 30);
        CHECK(storage::retention_days(config, "search_impressions") == 12);
        CHECK_FALSE(storage::retention_days(config, "events").has_value());
        CHECK_FALSE(storage::retention_days(config, "ogc_summary_daily").has_value());
    }

    TEST_CASE("every rollup table is written by a job of the catalogue, every job writes some") {
        const auto& jobs = storage::rollup_job_names();
        for (const auto& table : storage::rollup_tables()) {
            CHECK(std::find(jobs.begin(), jobs.end(), table.job) != jobs.end());
        }
        for (const auto& job : jobs) {
            CHECK(std::any_of(storage::rollup_tables().begin(), storage::rollup_tables().end(),
                              [&job](const auto& t) { return job == t.job; }));
        }
        for (const auto& job : storage::rollup_job_catalogue()) {
            for (const char* source : job.sources) {
                CHECK(
                    std::any_of(storage::raw_tables().begin(), storage::raw_tables().end(),
                                [source](const auto& t) { return std::string(source) == t.name; }));
            }
        }
    }
}
