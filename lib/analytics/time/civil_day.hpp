#pragma once

// Civil days off the per-line hot path (calendars, partitions, reports,
// generated traffic), on Howard Hinnant's date library: proleptic Gregorian,
// days counted from 1970-01-01.

#include <cstdint>
#include <string>

namespace analytics::time {

constexpr std::int64_t us_per_day = 86'400'000'000LL;

// Days since 1970-01-01 for a civil date, and back. A day past the end of
// its month counts on into the next (2026-02-31 is 2026-03-03).
std::int64_t days_from_civil(int year, unsigned month, unsigned day) noexcept;
void civil_from_days(std::int64_t days, int& year, unsigned& month, unsigned& day) noexcept;

// YYYY-MM-DD (as given on the command line or read from a date column) into
// days since 1970-01-01; throws UsageError naming `what`.
std::int64_t parse_day(const std::string& text, const std::string& what);

} // namespace analytics::time
