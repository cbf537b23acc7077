#pragma once

// An ISO 8601 instant as microseconds since the epoch, for test fixtures.

#include <analytics/time/timestamp.hpp>

#include <cstdint>

inline std::int64_t utc(const char* iso) {
    return *analytics::time::parse_iso_time(iso, analytics::time::LocalZone("UTC"));
}
