#include <analytics/storage/calendar.hpp>

#include <date/date.h>

#include <chrono>
#include <cstdio>

namespace analytics::storage {

namespace {

// Local midnight at the start of the 1st, as UTC microseconds.
std::int64_t month_start_us(const time::LocalZone& zone, date::year_month month) {
    const date::sys_days first{month / 1};
    return zone.to_utc(std::int64_t{first.time_since_epoch().count()} * us_per_day);
}

} // namespace

MonthSpan month_span(const time::LocalZone& zone, int year, unsigned month) {
    const date::year_month first{date::year{year}, date::month{month}};
    MonthSpan span;
    span.year = year;
    span.month = month;
    span.from_us = month_start_us(zone, first);
    span.to_us = month_start_us(zone, first + date::months{1});
    return span;
}

MonthSpan month_of(const time::LocalZone& zone, std::int64_t utc_us) {
    int year = 0;
    unsigned month = 0, day = 0;
    time::civil_from_days(local_day(zone, utc_us), year, month, day);
    return month_span(zone, year, month);
}

std::int64_t local_day(const time::LocalZone& zone, std::int64_t utc_us) {
    const std::chrono::microseconds local{zone.to_local(utc_us)};
    return date::floor<date::days>(local).count();
}

std::string format_day(std::int64_t days) {
    int year = 0;
    unsigned month = 0, day = 0;
    time::civil_from_days(days, year, month, day);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", year, month, day);
    return text;
}

} // namespace analytics::storage
