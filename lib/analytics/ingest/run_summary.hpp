#pragma once

// The one summary of the runs that turn input into access records: `ingest`
// (lines of files), `process` (rows of opentelemetry_buffer) and
// `process --reprocess` (stored rows). They share their counts; each fills
// its own part. One renderer writes it as text and as JSON (SPEC §2).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace analytics::ingest {

struct InputReport {
    std::string path;
    std::string format;
    std::string status; // "new", "resumed after line N", "unchanged", …; empty without registry
    std::uint64_t lines = 0;
    std::uint64_t bytes = 0;
    std::uint64_t records = 0;
    std::uint64_t rejected = 0;
};

struct RunSummary {
    enum class Run { ingest, process, reprocess };
    Run run = Run::ingest;
    bool dry_run = false; // process, reprocess: nothing was changed

    // What was read: lines (ingest), buffer or stored rows (process, reprocess).
    std::uint64_t lines = 0; // blank ones included
    std::uint64_t rows = 0;
    std::uint64_t records = 0;  // access_logs records, or beacon rows
    std::uint64_t rejected = 0; // lines or rows that gave no record
    // ingest: lines with at least one reject (a beacon line may reject several
    // rows); the reject ratio is a share of lines.
    std::uint64_t rejected_lines = 0;
    std::map<std::string, std::uint64_t> rejects_by_reason;
    // Rows of months already rolled up and dropped: not stored, kept with
    // the rejects, but not rejects (not in the reject ratio).
    std::uint64_t set_aside = 0;
    std::map<std::string, std::uint64_t> set_aside_by_table;
    std::map<std::string, std::uint64_t> warnings;
    double seconds = 0;

    // Written to the database.
    bool loaded = false;          // ingest: records went to the database
    std::uint64_t stored = 0;     // rows inserted
    std::uint64_t duplicates = 0; // rows already there, skipped
    std::uint64_t partitions_created = 0;
    std::uint64_t dirty_days = 0; // rolled-up days marked for a new rollup
    std::uint64_t batches = 0;

    // ingest
    std::vector<InputReport> inputs;
    std::uint64_t blank_lines = 0; // skipped silently
    std::uint64_t bytes = 0;       // uncompressed
    std::uint64_t searches = 0, impressions = 0, events = 0;
    std::uint64_t skipped_lines = 0; // lines loaded by earlier runs, not loaded again

    // Rows stored in months that are past their table's retention: the next
    // maintain rolls them up and drops their raw month.
    struct Expiring {
        std::string table;
        std::uint64_t rows = 0;
        int retention_days = 0;
    };

    std::vector<Expiring> expiring;

    // reprocess
    std::uint64_t days = 0;
    std::uint64_t changed = 0; // rows whose derived fields changed (or would)

    // Counts a reject under its category (reject_category).
    // another_line: the reject is the first of its line (ingest; rows of a
    // beacon line are rejected one by one).
    void count_reject(const std::string& reason, bool another_line = true);
    // Rejected share of everything that could have been a record.
    double reject_ratio() const;

    std::string to_text() const;
    std::string to_json() const;
    nlohmann::ordered_json json_document() const; // what to_json writes
};

// The counting key of a reject reason: "events[3]: invalid rank \"x\"" → "invalid rank".
std::string reject_category(const std::string& reason);
// The counting key of a warning: "searches[0].page: 2.5 is …; stored as NULL" → "page: stored as
// NULL".
std::string warning_category(const std::string& warning);

} // namespace analytics::ingest
