#pragma once

// Local days and months in the configured time zone: partitions begin at
// local midnight of the 1st, rollups group by local day (SPEC §2).

#include <analytics/time/civil_day.hpp>
#include <analytics/time/local_zone.hpp>

#include <cstdint>
#include <string>

namespace analytics::storage {

using time::us_per_day;

// A local calendar month and its bounds as UTC microseconds, [from_us, to_us).
struct MonthSpan {
    int year = 1970;
    unsigned month = 1;
    std::int64_t from_us = 0;
    std::int64_t to_us = 0;

    bool contains(std::int64_t ts_us) const noexcept { return ts_us >= from_us && ts_us < to_us; }
};

MonthSpan month_span(const time::LocalZone& zone, int year, unsigned month);
// The local month an instant falls in.
MonthSpan month_of(const time::LocalZone& zone, std::int64_t utc_us);

// The local date of an instant, as days since 1970-01-01.
std::int64_t local_day(const time::LocalZone& zone, std::int64_t utc_us);
// 2026-11-23
std::string format_day(std::int64_t days);

} // namespace analytics::storage
