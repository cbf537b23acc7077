#include <analytics/time/civil_day.hpp>
#include <analytics/util/errors.hpp>

#include <date/date.h>

#include <cstdio>

namespace analytics::time {

std::int64_t days_from_civil(int year, unsigned month, unsigned day) noexcept {
    const date::sys_days days{date::year{year} / date::month{month} / date::day{day}};
    return days.time_since_epoch().count();
}

void civil_from_days(std::int64_t days, int& year, unsigned& month, unsigned& day) noexcept {
    const date::year_month_day civil{
        date::sys_days{date::days{static_cast<date::days::rep>(days)}}};
    year = static_cast<int>(civil.year());
    month = static_cast<unsigned>(civil.month());
    day = static_cast<unsigned>(civil.day());
}

std::int64_t parse_day(const std::string& text, const std::string& what) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
        d < 1 || d > 31) {
        throw UsageError(what + " expects a date YYYY-MM-DD, got \"" + text + "\"");
    }
    return days_from_civil(y, m, d);
}

} // namespace analytics::time
