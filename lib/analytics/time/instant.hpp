#pragma once

// The times a person types for --from / --to (generate, report): one parser,
// so `-7d` means the same everywhere.

#include <cstdint>
#include <string>
#include <string_view>

namespace analytics::time {

// An instant: ISO 8601 (a date alone is local midnight in `timezone`), "now",
// or a time before now such as -7d, -12h, -30m. Throws UsageError.
std::int64_t parse_instant(std::string_view text, std::int64_t now_us, const std::string& timezone);

} // namespace analytics::time
