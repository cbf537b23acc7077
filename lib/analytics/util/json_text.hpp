#pragma once

// Hand-written JSON text output for the hot path (one record per line).

#include <cstdint>
#include <string>
#include <string_view>

namespace analytics {

// Appends s as a JSON string literal. Input must be valid UTF-8 (the reader
// repairs lines before parsing); control characters are escaped.
void append_json_string(std::string& out, std::string_view s);

void append_int(std::string& out, std::int64_t value);

// Appends "key":"value" and "key":number (no separator).
void append_json_member(std::string& out, std::string_view key, std::string_view value);
void append_json_number(std::string& out, std::string_view key, std::int64_t value);

} // namespace analytics
