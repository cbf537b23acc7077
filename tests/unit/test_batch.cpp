// A batch on its way to the database: its months, days and rejects.

#include "utc_time.hpp"

#include <analytics/load/batch.hpp>
#include <analytics/load/copy_text.hpp>
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

TEST_CASE("a row encoded ahead (ingest --jobs) adds what the record itself adds") {
    const time::LocalZone paris("Europe/Paris");
    load::Batch direct(paris), encoded(paris);
    record::AccessRecord r;
    std::string row, scratch;
    for (const char* ts :
         {"2026-03-31T21:00:00Z", "2026-03-31T22:30:00Z", "2026-04-01T10:00:00Z"}) {
        r.ts_us = utc(ts);
        r.id = ts;
        r.request_path.set("/geoserver/wms\tx\\y");
        r.status_code.set(200);
        direct.add(r);
        row.clear();
        load::append_copy_row(row, r, scratch);
        encoded.add_encoded(load::Table::access_logs, r.ts_us, row);
    }
    const auto& a = direct.rows(load::Table::access_logs);
    const auto& b = encoded.rows(load::Table::access_logs);
    CHECK(a.text == b.text);
    CHECK(a.rows == b.rows);
    CHECK(a.days == b.days);
    CHECK(a.months.size() == b.months.size());
    CHECK(direct.byte_size() == encoded.byte_size());
}
