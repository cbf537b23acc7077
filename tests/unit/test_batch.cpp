// A batch on its way to the database: its months, days and rejects.

#include "utc_time.hpp"

#include <analytics/load/batch.hpp>
#include <analytics/time/local_zone.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace analytics;

TEST_CASE("a batch knows its months and days, and keeps rejects safe") {
    const time::LocalZone paris("Europe/Paris");
    load::Batch batch(paris);
    record::AccessRecord r;
    r.id = "1";
    for (const char* ts : {"2026-03-31T21:00:00Z", "2026-03-31T21:30:00Z", "2026-03-31T22:30:00Z",
                           "2026-04-01T10:00:00Z"}) {
        r.ts_us = utc(ts);
        batch.add(r);
    }
    const auto& rows = batch.rows(load::Table::access_logs);
    CHECK(rows.rows == 4);
    CHECK(rows.months.size() == 2);
    CHECK(rows.days.size() == 2); // March 31 and April 1, local
    // Kept as given: the producer redacts (enrich::RejectedText, test_enricher.cpp).
    batch.add_reject(7, "bad", "x api_key=REDACTED");
    REQUIRE(batch.rejects().size() == 1);
    CHECK(batch.rejects()[0].line == 7);
    CHECK(batch.rejects()[0].text == "x api_key=REDACTED");
    batch.clear();
    CHECK(batch.empty());
}
