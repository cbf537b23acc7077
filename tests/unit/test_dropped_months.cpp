#include <analytics/storage/calendar.hpp>
#include <analytics/storage/dropped_months.hpp>
#include <analytics/storage/rollup_jobs.hpp>

#include <doctest/doctest.h>

#include <ostream> // doctest stringifies std::string through it

using namespace analytics::storage;

namespace {

const analytics::time::LocalZone& paris() {
    static const analytics::time::LocalZone zone("Europe/Paris");
    return zone;
}

DroppedMonth dropped(const char* table, int year, unsigned month) {
    return {table, month_span(paris(), year, month), "2026-12-01"};
}

std::int64_t local_noon(int year, unsigned month, unsigned day) {
    return paris().to_utc(analytics::time::days_from_civil(year, month, day) * us_per_day +
                          us_per_day / 2);
}

} // namespace

TEST_SUITE("storage") {
    TEST_CASE("the rollup catalogue: what each job reads, and what freezes with what") {
        CHECK(jobs_reading("access_logs") ==
              std::vector<std::string>{"ogc", "api_usage", "access", "dataapi"});
        CHECK(jobs_reading("search_impressions") == std::vector<std::string>{"search"});
        CHECK(jobs_reading("opentelemetry_buffer").empty());
        CHECK(tables_rolled_up_with("searches") ==
              std::vector<std::string>{"searches", "search_impressions"});
        CHECK(tables_rolled_up_with("events") == std::vector<std::string>{"events"});
        CHECK(rollup_job_names() ==
              std::vector<std::string>{"ogc", "api_usage", "search", "resource", "access", "dataapi"});
    }

    TEST_CASE("a dropped month refuses the rows of its table and of tables rolled up with it") {
        const DroppedMonths months(
            {dropped("access_logs", 2026, 10), dropped("search_impressions", 2026, 9)});
        // Local month bounds: 2026-10-01 00:00 in Paris is 2026-09-30 22:00 UTC.
        CHECK(months.refusing("access_logs", local_noon(2026, 10, 1)) != nullptr);
        CHECK(months.refusing("access_logs",
                              paris().to_utc(analytics::time::days_from_civil(2026, 10, 1) *
                                             us_per_day)) != nullptr);
        CHECK(months.refusing("access_logs", local_noon(2026, 11, 1)) == nullptr);
        CHECK(months.refusing("access_logs", local_noon(2026, 9, 30)) == nullptr);
        CHECK(months.refusing("events", local_noon(2026, 10, 15)) == nullptr);
        // A search day cannot be rolled up again without its impressions.
        CHECK(months.refusing("searches", local_noon(2026, 9, 15)) != nullptr);
        CHECK(months.refusing("search_impressions", local_noon(2026, 9, 15)) != nullptr);
        CHECK(months.freezing({"searches", "search_impressions"}, local_noon(2026, 9, 15)) !=
              nullptr);
        CHECK(months.freezing({"access_logs"}, local_noon(2026, 9, 15)) == nullptr);
        CHECK(dropped_reason(*months.refusing("access_logs", local_noon(2026, 10, 1))) ==
              "its month was rolled up and dropped: access_logs 2026-10, dropped on 2026-12-01; "
              "the row is not stored, the month's rollups stand as they are");
        CHECK(DroppedMonths().refusing("access_logs", local_noon(2026, 10, 1)) == nullptr);
    }
}
