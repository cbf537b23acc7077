#include <analytics/time/instant.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/text.hpp>

namespace analytics::time {

std::int64_t parse_instant(std::string_view text, std::int64_t now_us,
                           const std::string& timezone) {
    if (text == "now") {
        return now_us;
    }
    if (text.size() >= 3 && text[0] == '-') {
        std::int64_t amount = 0;
        const char unit = text.back();
        const std::int64_t unit_us = unit == 'd'   ? 86400LL * 1000000
                                     : unit == 'h' ? 3600LL * 1000000
                                     : unit == 'm' ? 60LL * 1000000
                                                   : 0;
        if (unit_us != 0 && parse_integer(text.substr(1, text.size() - 2), amount) && amount >= 0 &&
            amount < 1000000) {
            return now_us - amount * unit_us;
        }
    }
    const auto instant = parse_any_time(text, LocalZone(timezone));
    if (!instant || text.size() < 10) {
        throw UsageError("'" + std::string(text) +
                         "' is not a time: use ISO 8601 (2026-11-01 or 2026-11-01T08:00:00Z), "
                         "now, or -7d / -12h / -30m");
    }
    return *instant;
}

} // namespace analytics::time
