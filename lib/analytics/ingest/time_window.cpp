#include <analytics/ingest/time_window.hpp>
#include <analytics/time/civil_day.hpp>
#include <analytics/time/timestamp.hpp>

#include <chrono>
#include <cstdio>

namespace analytics::ingest {

namespace {

constexpr std::int64_t us_per_second = 1'000'000;

std::int64_t earliest_instant(const std::string& date) {
    int year = 2000;
    unsigned month = 1, day = 1;
    std::sscanf(date.c_str(), "%4d-%2u-%2u", &year, &month, &day); // checked by the loader
    return time::days_from_civil(year, month, day) * 86'400 * us_per_second;
}

} // namespace

std::int64_t now_or(std::int64_t now_us) {
    if (now_us != 0) {
        return now_us;
    }
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

TimeWindow::TimeWindow(const config::Config& config, std::int64_t now_us)
    : m_earliest_us(earliest_instant(config.ingest.earliest)),
      m_latest_us(now_or(now_us) + config.ingest.max_future_seconds * us_per_second),
      m_earliest(config.ingest.earliest), m_max_future_seconds(config.ingest.max_future_seconds) {}

std::string TimeWindow::refuse(std::int64_t ts_us) const {
    if (ts_us >= m_earliest_us && ts_us <= m_latest_us) {
        return {};
    }
    // The category (ingest::reject_category) is the text before the colon.
    if (ts_us < m_earliest_us) {
        return "time outside the accepted window: " + time::format_iso_utc(ts_us) +
               " is before ingest.earliest " + m_earliest;
    }
    return "time outside the accepted window: " + time::format_iso_utc(ts_us) + " is more than " +
           std::to_string(m_max_future_seconds) + " s (ingest.max_future) after now";
}

} // namespace analytics::ingest
