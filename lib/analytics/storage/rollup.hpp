#pragma once

// `rollup` (SPEC §2, §9): the rollup tables for completed local days only.
// Per job, a checkpoint in maintenance_state records the last day rolled up;
// a run rolls the days after it up to yesterday (at most
// rollup.max_days_per_run of them, with or without data), plus every dirty
// day. Each day is replaced atomically with its checkpoint, so re-runs are
// exact, and under a lock shared with the writers (rollup_locks.hpp), so
// overlapping writers are never missed. A day of a month retention dropped
// is never recomputed. Hourly tables also get today's completed hours at
// each run. A dry run computes everything and rolls it back.

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace analytics::storage {

struct RollupOptions {
    std::string job;  // empty: every job
    std::string from; // YYYY-MM-DD: recompute [from, to] whatever the checkpoints
    std::string to;
    bool dry_run = false;
    bool today_only = false; // only today's completed hours of the hourly tables (process)
    std::int64_t now_us = 0;
};

struct RollupJobReport {
    std::string job;
    std::vector<std::string> days;    // rolled up (in a dry run: would be)
    std::vector<std::string> dirty;   // of those, dirty days recomputed
    std::vector<std::string> empty;   // no raw row: rollups left as they are, checkpoint moved on
    std::vector<std::string> months;  // monthly buckets recomputed (ogc)
    std::vector<std::string> skipped; // raw month dropped (dropped_months): left as they are
    std::string hours_until; // today's hourly rows replaced up to this hour (UTC); empty if none
    std::uint64_t rows = 0;  // rollup rows written
    std::string checkpoint;  // after the run; empty when none
    std::string error;       // the day that failed, and why
};

struct RollupSummary {
    std::vector<RollupJobReport> jobs;
    bool dry_run = false;
    double seconds = 0;

    bool failed() const;
    std::string to_text() const;
    nlohmann::ordered_json json_document() const; // what to_json writes
    std::string to_json() const;
};

// Throws UsageError for bad dates; a failing day is reported in its job
// (the other jobs still run), DbUnavailable when the database goes away.
RollupSummary rollup(db::Session& session, const config::Config& config,
                     const RollupOptions& options);

} // namespace analytics::storage
