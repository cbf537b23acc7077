#include <analytics/time/timestamp.hpp>

#include <cstring>

namespace analytics::time {

namespace {

constexpr std::int64_t us_per_second = 1'000'000;
constexpr std::int64_t us_per_day = 86'400 * us_per_second;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Reads exactly n digits at text[pos]; advances pos.
bool read_digits(std::string_view text, std::size_t& pos, int n, int& value) {
    if (pos + static_cast<std::size_t>(n) > text.size()) {
        return false;
    }
    int v = 0;
    for (int i = 0; i < n; ++i) {
        const char c = text[pos + static_cast<std::size_t>(i)];
        if (!is_digit(c)) {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    pos += static_cast<std::size_t>(n);
    value = v;
    return true;
}

bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(int y, unsigned m) {
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool valid_date(int y, int m, int d) {
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           static_cast<unsigned>(d) <= days_in_month(y, static_cast<unsigned>(m));
}

bool valid_time(int h, int mi, int s) {
    return h <= 23 && mi <= 59 && s <= 60;
}

// The per-line parsers and writer keep their own copy of Howard Hinnant's
// civil-day algorithms (public domain, proleptic Gregorian): date's
// year_month_day conversions are the same code but measured ~5% slower from
// days to a date. Off the hot path, time/civil_day.hpp uses the library.
std::int64_t hot_days_from_civil(int year, unsigned month, unsigned day) noexcept {
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return std::int64_t{era} * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void hot_civil_from_days(std::int64_t days, int& year, unsigned& month, unsigned& day) noexcept {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0));
}

std::int64_t time_of_day_us(int h, int mi, int s) {
    return (std::int64_t{h} * 3600 + mi * 60 + s) * us_per_second;
}

std::int64_t to_us(int y, int mo, int d, int h, int mi, int s) {
    const std::int64_t days =
        hot_days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    return days * us_per_day + time_of_day_us(h, mi, s);
}

// Optional fraction ".123456789" or ",123": microseconds, extra digits truncated.
bool read_fraction(std::string_view text, std::size_t& pos, std::int64_t& us) {
    us = 0;
    if (pos >= text.size() || (text[pos] != '.' && text[pos] != ',')) {
        return true;
    }
    ++pos;
    int digits = 0;
    while (pos < text.size() && is_digit(text[pos])) {
        if (digits < 6) {
            us = us * 10 + (text[pos] - '0');
        }
        ++digits;
        ++pos;
    }
    if (digits == 0) {
        return false;
    }
    for (int i = digits; i < 6; ++i) {
        us *= 10;
    }
    return true;
}

// "+01:00", "+0100", "+01", "Z"; returns the offset in seconds east of UTC.
bool read_offset(std::string_view text, std::size_t& pos, int& offset_seconds) {
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
        offset_seconds = 0;
        return true;
    }
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) {
        return false;
    }
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int hours = 0;
    int minutes = 0;
    if (!read_digits(text, pos, 2, hours)) {
        return false;
    }
    if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!read_digits(text, pos, 2, minutes)) {
            return false;
        }
    } else if (pos + 2 <= text.size() && is_digit(text[pos])) {
        if (!read_digits(text, pos, 2, minutes)) {
            return false;
        }
    }
    if (hours > 18 || minutes > 59) {
        return false;
    }
    offset_seconds = sign * (hours * 3600 + minutes * 60);
    return true;
}

// Years 1 to 9999 in UTC: an offset may not push a time out of them.
std::optional<std::int64_t> in_range(std::int64_t us) {
    constexpr std::int64_t first = -62135596800LL * us_per_second; // 0001-01-01
    constexpr std::int64_t end = 253402300800LL * us_per_second;   // 10000-01-01
    if (us < first || us >= end) {
        return std::nullopt;
    }
    return us;
}

int month_from_abbrev(std::string_view m) {
    static constexpr std::string_view names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
    if (m.size() != 3) {
        return 0;
    }
    char lower[3];
    for (int i = 0; i < 3; ++i) {
        lower[i] = static_cast<char>(m[static_cast<std::size_t>(i)] | 0x20);
    }
    for (int i = 0; i < 12; ++i) {
        if (std::string_view(lower, 3) == names[i]) {
            return i + 1;
        }
    }
    return 0;
}

} // namespace

namespace {

// "dd/Mon/yyyy": the start of that day in µs since the epoch, or nullopt.
std::optional<std::int64_t> clf_day(std::string_view date) {
    std::size_t pos = 0;
    int d = 0, y = 0;
    if (!read_digits(date, pos, 2, d) || date[2] != '/' || date[6] != '/') {
        return std::nullopt;
    }
    const int mo = month_from_abbrev(date.substr(3, 3));
    pos = 7;
    if (mo == 0 || !read_digits(date, pos, 4, y) || !valid_date(y, mo, d)) {
        return std::nullopt;
    }
    return to_us(y, mo, d, 0, 0, 0);
}

// "yyyy-mm-dd": the start of that day in µs since the epoch, or nullopt.
std::optional<std::int64_t> iso_day(std::string_view date) {
    std::size_t pos = 0;
    int y = 0, mo = 0, d = 0;
    if (!read_digits(date, pos, 4, y) || date[pos++] != '-' || !read_digits(date, pos, 2, mo) ||
        date[pos++] != '-' || !read_digits(date, pos, 2, d) || !valid_date(y, mo, d)) {
        return std::nullopt;
    }
    return to_us(y, mo, d, 0, 0, 0);
}

// A log's timestamps share their day: the last date a parser read (per
// thread), recognised byte for byte so that it is read and checked once.
template <std::size_t Size>
class LastDay {
  public:
    // The start of the day `date` (Size bytes) names, or nullopt; read(date)
    // reads a date not seen last.
    template <typename Read>
    std::optional<std::int64_t> of(std::string_view date, Read read) {
        if (m_known && std::memcmp(date.data(), m_date, Size) == 0) {
            return m_day_us;
        }
        const std::optional<std::int64_t> day = read(date);
        if (day) {
            std::memcpy(m_date, date.data(), Size);
            m_day_us = *day;
            m_known = true;
        }
        return day;
    }

  private:
    char m_date[Size] = {};
    std::int64_t m_day_us = 0;
    bool m_known = false;
};

} // namespace

std::optional<std::int64_t> parse_clf_time(std::string_view text) {
    // dd/Mon/yyyy:HH:MM:SS +zzzz
    constexpr std::size_t date_size = 11;
    thread_local LastDay<date_size> last;
    if (text.size() <= date_size || text[date_size] != ':') {
        return std::nullopt;
    }
    const std::optional<std::int64_t> day = last.of(text.substr(0, date_size), clf_day);
    if (!day) {
        return std::nullopt;
    }
    const std::int64_t day_us = *day;
    std::size_t pos = date_size + 1;
    int h = 0, mi = 0, s = 0;
    if (!read_digits(text, pos, 2, h) || pos >= text.size() || text[pos++] != ':' ||
        !read_digits(text, pos, 2, mi) || pos >= text.size() || text[pos++] != ':' ||
        !read_digits(text, pos, 2, s)) {
        return std::nullopt;
    }
    std::int64_t fraction = 0;
    if (!read_fraction(text, pos, fraction)) {
        return std::nullopt;
    }
    int offset = 0;
    if (pos < text.size() && text[pos] == ' ') {
        ++pos;
        if (!read_offset(text, pos, offset)) {
            return std::nullopt;
        }
    }
    if (pos != text.size() || !valid_time(h, mi, s)) {
        return std::nullopt;
    }
    return in_range(day_us + time_of_day_us(h, mi, s) + fraction -
                    std::int64_t{offset} * us_per_second);
}

std::optional<std::int64_t> parse_iso_time(std::string_view text, const LocalZone& zone) {
    constexpr std::size_t date_size = 10;
    thread_local LastDay<date_size> last;
    if (text.size() < date_size) {
        return std::nullopt;
    }
    const std::optional<std::int64_t> day = last.of(text.substr(0, date_size), iso_day);
    if (!day) {
        return std::nullopt;
    }
    std::size_t pos = date_size;
    int h = 0, mi = 0, s = 0;
    if (pos == text.size()) { // a date alone: local midnight
        return in_range(zone.to_utc(*day));
    }
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') {
        return std::nullopt;
    }
    ++pos;
    if (!read_digits(text, pos, 2, h) || pos >= text.size() || text[pos++] != ':' ||
        !read_digits(text, pos, 2, mi)) {
        return std::nullopt;
    }
    if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!read_digits(text, pos, 2, s)) {
            return std::nullopt;
        }
    }
    std::int64_t fraction = 0;
    if (!read_fraction(text, pos, fraction) || !valid_time(h, mi, s)) {
        return std::nullopt;
    }
    const std::int64_t wall = *day + time_of_day_us(h, mi, s) + fraction;
    if (pos == text.size()) {
        return in_range(zone.to_utc(wall));
    }
    if (text[pos] == ' ') { // "2025-01-01 10:00:00 +01:00" and "... UTC"
        ++pos;
        if (text.substr(pos) == "UTC" || text.substr(pos) == "GMT") {
            return in_range(wall);
        }
    }
    int offset = 0;
    if (!read_offset(text, pos, offset) || pos != text.size()) {
        return std::nullopt;
    }
    return in_range(wall - std::int64_t{offset} * us_per_second);
}

std::optional<std::int64_t> parse_epoch_time(std::string_view digits) {
    if (digits.empty() || digits.size() > 19) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    for (char c : digits) {
        if (!is_digit(c) || value > (INT64_MAX - (c - '0')) / 10) { // 19 digits may overflow
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    // Told apart by magnitude: seconds until 5138, then ms, µs, ns.
    if (value >= 100'000'000'000'000'000) {
        return value / 1000;
    }
    if (value >= 100'000'000'000'000) {
        return value;
    }
    if (value >= 100'000'000'000) {
        return value * 1000;
    }
    return value * us_per_second;
}

std::optional<std::int64_t> parse_any_time(std::string_view text, const LocalZone& zone) {
    if (text.empty()) {
        return std::nullopt;
    }
    if (text.size() >= 4 && is_digit(text[0]) && is_digit(text[1]) && text.size() > 2 &&
        text[2] == '/') {
        return parse_clf_time(text);
    }
    if (text.size() > 4 && text[4] == '-') {
        return parse_iso_time(text, zone);
    }
    return parse_epoch_time(text);
}

std::size_t write_iso_utc(char* buf, std::int64_t us) noexcept {
    std::int64_t days = us / us_per_day;
    std::int64_t rest = us % us_per_day;
    if (rest < 0) {
        rest += us_per_day;
        --days;
    }
    // A log's records share their day: its "yyyy-mm-dd" is written once
    // (per thread) and copied after.
    constexpr std::size_t date_size = 10;
    thread_local char last_date[date_size] = {};
    thread_local std::int64_t last_days = 0;
    thread_local bool have_last = false;
    auto put = [](char* at, unsigned value, int width) {
        for (int i = width - 1; i >= 0; --i) {
            at[i] = static_cast<char>('0' + value % 10);
            value /= 10;
        }
    };
    if (!have_last || days != last_days) {
        int y = 0;
        unsigned mo = 0, d = 0;
        hot_civil_from_days(days, y, mo, d);
        put(last_date, static_cast<unsigned>(y), 4);
        last_date[4] = '-';
        put(last_date + 5, mo, 2);
        last_date[7] = '-';
        put(last_date + 8, d, 2);
        last_days = days;
        have_last = true;
    }
    std::memcpy(buf, last_date, date_size);
    const auto seconds = static_cast<unsigned>(rest / us_per_second);
    const auto micros = static_cast<unsigned>(rest % us_per_second);
    buf[10] = 'T';
    put(buf + 11, seconds / 3600, 2);
    buf[13] = ':';
    put(buf + 14, seconds / 60 % 60, 2);
    buf[16] = ':';
    put(buf + 17, seconds % 60, 2);
    std::size_t len = 19;
    if (micros != 0) {
        buf[19] = '.';
        put(buf + 20, micros, 6);
        len = 26;
    }
    buf[len++] = 'Z';
    return len;
}

void append_iso_utc(std::string& out, std::int64_t us) {
    char buf[iso_utc_max];
    out.append(buf, write_iso_utc(buf, us));
}

std::string format_iso_utc(std::int64_t us) {
    std::string out;
    append_iso_utc(out, us);
    return out;
}

} // namespace analytics::time
