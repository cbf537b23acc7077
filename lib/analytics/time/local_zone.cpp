#include <analytics/time/local_zone.hpp>
#include <analytics/util/errors.hpp>

#include <date/tz.h>

namespace analytics::time {

LocalZone::LocalZone(const std::string& name) {
    if (name == "UTC" || name == "Etc/UTC" || name.empty()) {
        return;
    }
    try {
        m_zone = date::locate_zone(name);
    } catch (const std::exception& e) {
        throw ConfigError("unknown time zone '" + name + "': " + e.what());
    }
}

std::int64_t LocalZone::to_utc(std::int64_t local_us) const {
    if (m_zone == nullptr) {
        return local_us;
    }
    using namespace std::chrono;
    const date::local_time<microseconds> local{microseconds{local_us}};
    const auto info = m_zone->get_info(date::floor<seconds>(local));
    seconds offset = info.first.offset;
    if (info.result == date::local_info::nonexistent) {
        offset = info.first.offset; // before the gap: the wall time moves forward
    }
    return local_us - duration_cast<microseconds>(offset).count();
}

std::int64_t LocalZone::to_local(std::int64_t utc_us) const {
    if (m_zone == nullptr) {
        return utc_us;
    }
    using namespace std::chrono;
    const date::sys_time<microseconds> utc{microseconds{utc_us}};
    const auto info = m_zone->get_info(date::floor<seconds>(utc));
    return utc_us + duration_cast<microseconds>(info.offset).count();
}

} // namespace analytics::time
