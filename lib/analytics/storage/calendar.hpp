#pragma once

// Local days and months in the configured time zone: partitions begin at
// local midnight of the 1st, rollups group by local day (SPEC §2).

#include <analytics/parse/timestamp.hpp>

#include <cstdint>
#include <string>

namespace analytics::storage {

constexpr std::int64_t us_per_day = 86'400'000'000LL;

// A local calendar month and its bounds as UTC microseconds, [from_us, to_us).
struct MonthSpan {
    int year = 1970;
    unsigned month = 1;
    std::int64_t from_us = 0;
    std::int64_t to_us = 0;

    bool contains(std::int64_t ts_us) const noexcept { return ts_us >= from_us && ts_us < to_us; }
};

MonthSpan month_span(const parse::LocalZone& zone, int year, unsigned month);
// The local month an instant falls in.
MonthSpan month_of(const parse::LocalZone& zone, std::int64_t utc_us);

// The local date of an instant, as days since 1970-01-01.
std::int64_t local_day(const parse::LocalZone& zone, std::int64_t utc_us);
// 2026-11-23
std::string format_day(std::int64_t days);

} // namespace analytics::storage
