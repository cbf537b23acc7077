#pragma once

// Hand-written timestamp parsing for the hot path. Every function returns
// microseconds since the Unix epoch (UTC; PostgreSQL's precision, extra
// digits truncated) or std::nullopt when the text is not a valid timestamp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace analytics::parse {

// The zone naive timestamps are read in (config `timezone`).
class LocalZone {
  public:
    explicit LocalZone(const std::string& name); // throws ConfigError
    // Local wall-clock microseconds → UTC microseconds. A time skipped by a
    // DST change maps forward, a repeated one to its first occurrence.
    std::int64_t to_utc(std::int64_t local_us) const;
    // UTC microseconds → local wall-clock microseconds.
    std::int64_t to_local(std::int64_t utc_us) const;

    bool is_utc() const noexcept { return m_zone == nullptr; }

  private:
    const date::time_zone* m_zone = nullptr;
};

// CLF: 10/Dec/2025:05:39:15 +0100 (brackets stripped by the caller).
std::optional<std::int64_t> parse_clf_time(std::string_view text);

// ISO 8601 / RFC 3339: 2025-12-17T13:19:38.491768632Z, with a space for T,
// an offset (+01:00, +0100, +01) or none (then read in zone), a date alone.
std::optional<std::int64_t> parse_iso_time(std::string_view text, const LocalZone& zone);

// Epoch numbers as OTLP writes them: nanoseconds (also seconds,
// milliseconds, microseconds, told apart by magnitude).
std::optional<std::int64_t> parse_epoch_time(std::string_view digits);

// Any of the above.
std::optional<std::int64_t> parse_any_time(std::string_view text, const LocalZone& zone);

// 2025-12-17T13:19:38.491768Z (fraction only when non-zero).
void append_iso_utc(std::string& out, std::int64_t us);
std::string format_iso_utc(std::int64_t us);

// Days since 1970-01-01 for a civil date, and back.
std::int64_t days_from_civil(int year, unsigned month, unsigned day) noexcept;
void civil_from_days(std::int64_t days, int& year, unsigned& month, unsigned& day) noexcept;

} // namespace analytics::parse
