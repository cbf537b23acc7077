#include <analytics/storage/calendar.hpp>

#include <cstdio>

namespace analytics::storage {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

} // namespace

MonthSpan month_span(const parse::LocalZone& zone, int year, unsigned month) {
    MonthSpan span;
    span.year = year;
    span.month = month;
    span.from_us = zone.to_utc(parse::days_from_civil(year, month, 1) * us_per_day);
    const int next_year = month == 12 ? year + 1 : year;
    const unsigned next_month = month == 12 ? 1 : month + 1;
    span.to_us = zone.to_utc(parse::days_from_civil(next_year, next_month, 1) * us_per_day);
    return span;
}

MonthSpan month_of(const parse::LocalZone& zone, std::int64_t utc_us) {
    int year = 0;
    unsigned month = 0, day = 0;
    parse::civil_from_days(local_day(zone, utc_us), year, month, day);
    return month_span(zone, year, month);
}

std::int64_t local_day(const parse::LocalZone& zone, std::int64_t utc_us) {
    return floor_div(zone.to_local(utc_us), us_per_day);
}

std::string format_day(std::int64_t days) {
    int year = 0;
    unsigned month = 0, day = 0;
    parse::civil_from_days(days, year, month, day);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", year, month, day);
    return text;
}

} // namespace analytics::storage
