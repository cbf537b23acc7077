#pragma once

// Hand-written timestamp parsing for the hot path. Every function returns
// microseconds since the Unix epoch (UTC; PostgreSQL's precision, extra
// digits truncated) or std::nullopt when the text is not a valid timestamp.
// CLF and ISO times are kept to years 1 to 9999, which PostgreSQL and
// append_iso_utc accept.

#include <analytics/time/local_zone.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace analytics::time {

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
// The same text into buf (iso_utc_max bytes at least); returns its length.
inline constexpr std::size_t iso_utc_max = 32;
std::size_t write_iso_utc(char* buf, std::int64_t us) noexcept;
std::string format_iso_utc(std::int64_t us);

} // namespace analytics::time
