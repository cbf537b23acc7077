#pragma once

// `maintain` (SPEC §2): the nightly job, under a database advisory lock:
// check the schema → ensure-partitions → optionally process the buffer →
// rollup → retention. Each step, rollup day and dropped partition commits on
// its own, so one failure is reported without blocking the others.

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>
#include <analytics/jobs/process_buffer.hpp>
#include <analytics/storage/ensure_partitions.hpp>
#include <analytics/storage/retention.hpp>
#include <analytics/storage/rollup.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace analytics::maintain {

struct MaintainOptions {
    bool wait = false;           // wait for the lock instead of exiting 75
    bool process_buffer = false; // drain opentelemetry_buffer before the rollups
    bool dry_run = false;
    std::int64_t now_us = 0;
    std::size_t batch_size = 10000;
};

struct StepReport {
    std::string name;
    bool ran = false;
    std::string error; // empty when it succeeded
    double seconds = 0;
};

struct MaintainSummary {
    std::vector<StepReport> steps;
    storage::EnsureSummary partitions;
    std::optional<ingest::RunSummary> process;
    storage::RollupSummary rollup;
    storage::RetentionSummary retention;
    bool dry_run = false;
    double seconds = 0;

    bool failed() const;
    std::string to_text() const;
    std::string to_json() const;
};

// Throws LockBusy (75) when another maintain holds the lock (without
// `wait`), DbUnavailable (69), ConfigError (78) for an out-of-date schema.
MaintainSummary run_maintain(const db::OpenOptions& open, const config::Config& config,
                             const MaintainOptions& options);

} // namespace analytics::maintain
