#pragma once

// The zone naive timestamps are read in and local days are counted in
// (config `timezone`), over Howard Hinnant's tz database.

#include <cstdint>
#include <string>

namespace date {
class time_zone;
}

namespace analytics::time {

class LocalZone {
  public:
    explicit LocalZone(const std::string& name); // throws ConfigError
    // Local wall-clock microseconds → UTC microseconds. A time skipped by a
    // DST change maps forward, a repeated one to its first occurrence.
    std::int64_t to_utc(std::int64_t local_us) const;
    // UTC microseconds → local wall-clock microseconds.
    std::int64_t to_local(std::int64_t utc_us) const;

    bool is_utc() const noexcept { return m_zone == nullptr; }

  private:
    const date::time_zone* m_zone = nullptr;
};

} // namespace analytics::time
