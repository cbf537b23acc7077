#pragma once

// The ingest pipeline: inputs → lines → format parser → enricher → sink,
// with every rejected line counted by reason (SPEC §2 `ingest`).

#include <analytics/config/config.hpp>
#include <analytics/ingest/sink.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace analytics::ingest {

// Where reading stands, for a progress display.
struct Progress {
    std::string input;
    std::uint64_t raw_bytes_read = 0;  // of the file as stored (compressed or not)
    std::uint64_t raw_bytes_total = 0; // 0 when unknown (stdin)
    std::uint64_t lines = 0;           // lines read so far, all inputs
    bool done = false;                 // the last call of a run
};

struct IngestOptions {
    std::vector<std::string> inputs; // resolved paths, "-" for stdin
    std::string format = "auto";
    std::string rejects_path; // empty: not written
    std::vector<std::pair<std::string, std::string>> extras;
    bool force = false;      // ignore what the sink remembers of the inputs
    std::int64_t now_us = 0; // --now; 0: the clock (the accepted time window)
    std::string source_name; // registry name for stdin
    // Called every few thousand lines, and once with done = true.
    std::function<void(const Progress&)> progress;
};

struct InputReport {
    std::string path;
    std::string format;
    std::string status; // "new", "resumed after line N", "unchanged", …; empty without registry
    std::uint64_t lines = 0;
    std::uint64_t bytes = 0;
    std::uint64_t records = 0;
    std::uint64_t rejected = 0;
};

struct IngestSummary {
    std::vector<InputReport> inputs;
    std::uint64_t lines = 0;       // lines read, blank ones included
    std::uint64_t blank_lines = 0; // skipped silently
    std::uint64_t bytes = 0;       // uncompressed
    std::uint64_t records = 0;     // access_logs records, or beacon rows
    std::uint64_t searches = 0, impressions = 0, events = 0;
    std::uint64_t rejected = 0; // lines or rows that gave no record
    std::map<std::string, std::uint64_t> rejects_by_reason;
    // Rows of months already rolled up and dropped: not stored, kept with
    // the rejects, but not rejects (not in the reject ratio).
    std::uint64_t set_aside = 0;
    std::map<std::string, std::uint64_t> set_aside_by_table;
    std::map<std::string, std::uint64_t> warnings;
    double seconds = 0;

    // Filled by a database sink.
    bool loaded = false;          // records went to the database
    std::uint64_t stored = 0;     // rows inserted
    std::uint64_t duplicates = 0; // rows already there, skipped
    std::uint64_t partitions_created = 0;
    std::uint64_t dirty_days = 0; // rolled-up days marked for a new rollup
    std::uint64_t batches = 0;
    std::uint64_t skipped_lines = 0; // lines loaded by earlier runs, not loaded again

    // Rows stored in months that are past their table's retention: the next
    // maintain rolls them up and drops their raw month.
    struct Expiring {
        std::string table;
        std::uint64_t rows = 0;
        int retention_days = 0;
    };

    std::vector<Expiring> expiring;

    // Rejected share of everything that could have been a record.
    double reject_ratio() const;
    std::string to_text() const;
    std::string to_json() const;
};

// The counting key of a reject reason: "events[3]: invalid rank \"x\"" → "invalid rank".
std::string reject_category(const std::string& reason);
// The counting key of a warning: "searches[0].page: 2.5 is …; stored as NULL" → "page: stored as
// NULL".
std::string warning_category(const std::string& warning);

// Runs the pipeline. Throws InputError (66) for unreadable inputs,
// ConfigError (78) for an unusable configuration (bad regex, no uap-core).
IngestSummary run_ingest(const config::Config& config, const IngestOptions& options,
                         RecordSink& sink);

} // namespace analytics::ingest
