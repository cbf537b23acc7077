#pragma once

// The ingest pipeline: inputs → lines → format parser → enricher → sink,
// with every rejected line counted by reason (SPEC §2 `ingest`).

#include <analytics/config/config.hpp>
#include <analytics/enrich/visitor_key.hpp>
#include <analytics/ingest/run_summary.hpp>
#include <analytics/ingest/sink.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
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
    // The daily salts of visitor keys (load/visitor_salts.hpp); empty: no
    // visitor keys (--dry-run, --output write none).
    enrich::SaltSource visitor_salts;
    // Called every few thousand lines, and once with done = true.
    std::function<void(const Progress&)> progress;
    // A live input (a pipe; followed files) commits at least this often.
    int commit_interval_ms = 5000;
    // Set (by a signal handler) to stop reading: what was read is committed.
    const std::atomic<bool>* stop = nullptr;
    // ingest --follow: the files and globs to follow (unresolved).
    std::vector<std::string> follow;
    // Threads that parse and enrich (line_pool.hpp); 1: this thread alone.
    // The output, ids and committed positions are the same for any number.
    unsigned jobs = 1;
};

// Runs the pipeline. Throws InputError (66) for unreadable inputs,
// ConfigError (78) for an unusable configuration (bad regex, no uap-core).
RunSummary run_ingest(const config::Config& config, const IngestOptions& options, RecordSink& sink);

// ingest --follow: reads options.follow as the files grow, through rotation
// (rename, copytruncate, compression of the rotated file) and new files
// matching the globs, until options.stop is set; then commits and returns.
// The sink comes from open_sink, called again, with a growing pause (1 s to
// 1 min), when the database was lost (exit status 69): the lines are still in
// the files, and the registry tells where to resume.
RunSummary follow_ingest(const config::Config& config, const IngestOptions& options,
                         const std::function<std::unique_ptr<RecordSink>()>& open_sink);

} // namespace analytics::ingest
