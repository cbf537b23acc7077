#pragma once

// `analytics migrate --adopt` (issue 18): takes over a database made by
// geOrchestra's own scripts (100_analytics_init.sql, 101_analytics_ogc_views.sql:
// an access_logs hypertable and ogc_summary_hourly/daily/monthly continuous
// aggregates, on TimescaleDB) in the configured schema.
//
// 1. Switch, one short transaction: analytics' schema is first migrated under
//    "<schema>_adopting"; then, holding opentelemetry_buffer's lock (Vector's
//    inserts wait, never fail), geOrchestra's schema becomes
//    "<schema>_georchestra", ours takes its name, and the buffer's rows move
//    into our buffer. Vector's next insert lands in our buffer.
// 2. The aggregates' history of the periods whose raw rows geOrchestra's
//    retention already dropped (before the hypertable's first row) is copied
//    into our rollup tables, and those months recorded as dropped.
// 3. The raw rows are copied a local day per transaction, the day reached
//    recorded in "<schema>_georchestra".analytics_adoption in the same
//    transaction: a re-run (after kill -9 too) resumes there, and a run
//    after the last day changes nothing.
// The rollups of the copied days are made by the next `rollup` / `maintain`.

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace analytics::storage {

struct AdoptOptions {
    bool dry_run = false;
    // Called after each copied day: the day, rows copied so far, rows in all.
    std::function<void(const std::string&, std::int64_t, std::int64_t)> progress;
};

struct AdoptResult {
    bool dry_run = false;
    std::string schema;              // ours, the configured one
    std::string aside_schema;        // geOrchestra's objects, moved aside
    bool switched = false;           // the switch was made by this run (would be, in a dry run)
    bool complete = false;           // every raw row copied (before this run, if nothing was left)
    std::int64_t buffer_rows = 0;    // moved from geOrchestra's buffer to ours
    std::int64_t source_rows = 0;    // raw rows of geOrchestra's access_logs
    std::int64_t copied_rows = 0;    // rows copied by this run
    std::int64_t aggregate_rows = 0; // ogc_summary_* rows kept for periods without raw rows
    std::int64_t days = 0;           // days copied by this run (to copy, in a dry run)
    std::string first_raw;           // first and last raw row, text ("" when none)
    std::string last_raw;
};

AdoptResult adopt_georchestra(const db::OpenOptions& open, const config::Config& config,
                              const AdoptOptions& options);

} // namespace analytics::storage
