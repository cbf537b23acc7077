#pragma once

// The accepted time window (SPEC §9): a row dated before ingest.earliest or
// more than ingest.max_future after now is rejected with its line, so that a
// single absurd date (31/Dec/9999, 01/Jan/1900) never creates a partition,
// stalls a checkpoint or stops the rest of its input.

#include <analytics/config/config.hpp>

#include <cstdint>
#include <string>

namespace analytics::ingest {

class TimeWindow {
  public:
    TimeWindow(const config::Config& config, std::int64_t now_us);

    // Why a row at `ts_us` is refused; empty when it is accepted.
    std::string refuse(std::int64_t ts_us) const;

  private:
    std::int64_t m_earliest_us;
    std::int64_t m_latest_us;
    std::string m_earliest;
    std::int64_t m_max_future_seconds;
};

// The current time, or `now_us` when it is set (--now): microseconds, UTC.
std::int64_t now_or(std::int64_t now_us);

} // namespace analytics::ingest
