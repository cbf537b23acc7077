#pragma once

// `process --reprocess` (SPEC §2): recomputes the derived fields of stored
// access_logs rows (application, OGC classification, user agent, referrer,
// UTM columns, privacy rules) from their raw fields with the current
// configuration, a day at a time, and marks the days dirty for rollup.

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>
#include <analytics/ingest/run_summary.hpp>

#include <cstdint>
#include <string>

namespace analytics::jobs {

struct ReprocessOptions {
    std::string from; // first local day, YYYY-MM-DD
    std::string to;   // last local day, inclusive
    std::string app;  // only rows with this app_name (as stored); empty: all
    std::size_t batch_size = 10000;
    bool dry_run = false; // count what would change, change nothing
};

// Throws UsageError for bad dates, DbUnavailable / StepFailed as `process`.
ingest::RunSummary reprocess(db::Session& session, const config::Config& config,
                             const ReprocessOptions& options);

} // namespace analytics::jobs
