#pragma once

// `process --reprocess` (SPEC §2): recomputes the derived fields of stored
// access_logs rows (application, OGC classification, user agent, referrer,
// UTM columns, privacy rules) from their raw fields with the current
// configuration, a day at a time, and marks the days dirty for rollup.

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace analytics::load {

struct ReprocessOptions {
    std::string from; // first local day, YYYY-MM-DD
    std::string to;   // last local day, inclusive
    std::string app;  // only rows with this app_name (as stored); empty: all
    std::size_t batch_size = 10000;
    bool dry_run = false; // count what would change, change nothing
};

struct ReprocessSummary {
    std::uint64_t days = 0;
    std::uint64_t rows = 0;    // rows read
    std::uint64_t changed = 0; // rows whose derived fields changed
    std::uint64_t dirty_days = 0;
    std::map<std::string, std::uint64_t> warnings;
    double seconds = 0;
    bool dry_run = false;

    std::string to_text() const;
    std::string to_json() const;
};

// Throws UsageError for bad dates, DbUnavailable / StepFailed as `process`.
ReprocessSummary reprocess(db::Session& session, const config::Config& config,
                           const ReprocessOptions& options);

} // namespace analytics::load
