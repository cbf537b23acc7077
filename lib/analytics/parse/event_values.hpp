#pragma once

// Coercion of the JSON values of geoportal beacons into column values, for
// the events reader (events.cpp): strings cut on UTF-8 boundaries and freed
// of NULs, integers and booleans validated per field, properties kept as
// compact JSON without secrets, short renderings of bad values for messages.

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace analytics::parse::event_values {

using simdjson::dom::element;

bool as_string(element v, std::string_view& s);

// ASCII case-insensitive comparison in which '-' and '_' are the same:
// header names, boolean words. folded is lower-case.
bool same_name(std::string_view text, std::string_view folded);

// Cuts s (valid UTF-8) after max_chars code points, never inside a sequence.
// Returns true when something was cut.
bool truncate_chars(std::string& s, std::size_t max_chars);

// Removes NUL characters (PostgreSQL text and jsonb refuse them); true when
// there were some.
bool remove_nul(std::string& s);

// A short one-line rendering of a JSON value, for messages.
std::string describe(element v);

enum class IntStatus { ok, not_integer, out_of_range };

// JSON integers, integral floats (3.0) and digit strings within [lo, hi].
IntStatus to_integer(element v, std::int64_t lo, std::int64_t hi, std::int64_t& out);
const char* to_text(IntStatus status);

// true/false, "true"/"false"/"1"/"0"/"yes"/"no" (any case), 0/1.
std::optional<bool> to_bool(element v);

enum class Redact { none, keys, keys_and_params };

// v as compact JSON, NUL characters dropped from strings and keys. Secret
// keys are left out of the object itself (keys) and of its "params" object
// (keys_and_params). Recursion is bounded by simdjson's depth limit.
void append_value(std::string& out, element v, Redact redact, bool& nul_removed);

// The host[:port] of a URL: urlsplit's netloc without its user info (which
// may hold credentials). Empty when the URL has none ("null", a bare path).
std::string_view url_host(std::string_view url);

} // namespace analytics::parse::event_values
