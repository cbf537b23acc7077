#pragma once

// An ISO 8601 instant as microseconds since the epoch, for test fixtures.

#include <analytics/parse/timestamp.hpp>

#include <cstdint>

inline std::int64_t utc(const char* iso) {
    return *analytics::parse::parse_iso_time(iso, analytics::parse::LocalZone("UTC"));
}
