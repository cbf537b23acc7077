#pragma once

// analytics generate: synthetic logs in any input format, for demos,
// tests and benchmarks.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace analytics::config {
struct Config;
}

namespace analytics::generate {

struct GenerateOptions {
    std::string format = "combined";
    std::int64_t from_us = 0; // UTC, inclusive
    std::int64_t to_us = 0;   // UTC, exclusive
    double rate_per_hour = 1000;
    std::uint64_t seed = 1;
};

struct GenerateSummary {
    std::string format;
    std::int64_t from_us = 0;
    std::int64_t to_us = 0;
    std::uint64_t records = 0; // requests, or beacons for events
    std::uint64_t lines = 0;
    std::uint64_t bytes = 0; // before compression
    std::string output;

    std::string to_text() const;
    std::string to_json() const;
};

// The formats generate can write (every input format but 'auto').
const std::vector<std::string>& generate_format_names();

// Where the lines go: stdout, a file, or a gzip file (name ending in .gz).
// A file is written under a temporary name and renamed when complete.
class LogOutput {
  public:
    virtual ~LogOutput() = default;
    virtual void write(std::string_view data) = 0;
    virtual void finish() = 0;
};

std::unique_ptr<LogOutput> open_log_output(const std::string& path); // "-": stdout

// Throws UsageError for an unknown format or an empty range.
GenerateSummary generate_logs(const GenerateOptions& options, const config::Config& config,
                              LogOutput& output);

} // namespace analytics::generate
