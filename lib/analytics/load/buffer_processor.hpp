#pragma once

// `process` (SPEC §2): drains opentelemetry_buffer, what Vector's postgres
// sink writes, into access_logs. Each batch is selected FOR UPDATE SKIP
// LOCKED, parsed, inserted and deleted from the buffer in one transaction:
// a row is either still in the buffer or processed, never lost, never twice,
// and two runs at once share the work.

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace analytics::load {

struct ProcessOptions {
    std::size_t batch_size = 10000;
    bool dry_run = false;    // parse and count, change nothing
    std::int64_t now_us = 0; // --now; 0: the clock (the accepted time window)
};

struct ProcessSummary {
    std::uint64_t rows = 0;       // buffer rows taken
    std::uint64_t records = 0;    // records parsed from them
    std::uint64_t stored = 0;     // inserted into access_logs
    std::uint64_t duplicates = 0; // already in access_logs
    std::uint64_t rejected = 0;   // rows moved to ingest_rejects
    std::uint64_t set_aside = 0;  // of a month rolled up and dropped: moved there too
    std::uint64_t batches = 0;
    std::uint64_t partitions_created = 0;
    std::uint64_t dirty_days = 0;
    std::map<std::string, std::uint64_t> rejects_by_reason;
    std::map<std::string, std::uint64_t> warnings;
    double seconds = 0;
    bool dry_run = false;

    std::string to_text() const;
    std::string to_json() const;
};

// Throws DbUnavailable (69) when the database goes away, StepFailed (1) for
// a persistent database error: never loops on a row it cannot handle.
ProcessSummary process_buffer(const db::OpenOptions& open, const config::Config& config,
                              const ProcessOptions& options);

} // namespace analytics::load
