#pragma once

// `process` (SPEC §2): drains opentelemetry_buffer, what Vector's postgres
// sink writes, into access_logs. Each batch is selected FOR UPDATE SKIP
// LOCKED, parsed, inserted and deleted from the buffer in one transaction:
// a row is either still in the buffer or processed, never lost, never twice,
// and two runs at once share the work.

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>
#include <analytics/ingest/run_summary.hpp>

#include <cstdint>

namespace analytics::jobs {

struct ProcessOptions {
    std::size_t batch_size = 10000;
    bool dry_run = false;    // parse and count, change nothing
    std::int64_t now_us = 0; // --now; 0: the clock (the accepted time window)
    // Today's completed hours of the hourly rollups refreshed after rows
    // were stored (maintain rolls up right after, and says false).
    bool today_hours = true;
};

// Throws DbUnavailable (69) when the database goes away, StepFailed (1) for
// a persistent database error: never loops on a row it cannot handle.
ingest::RunSummary process_buffer(const db::OpenOptions& open, const config::Config& config,
                                  const ProcessOptions& options);

} // namespace analytics::jobs
