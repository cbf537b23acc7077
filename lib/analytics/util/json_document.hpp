#pragma once

// JSON documents off the hot path (command summaries, `report --json`) are
// built with nlohmann_json, in their key order (ordered_json), and written
// on one line by dump_json. The hot path (one record per line) keeps the
// hand-written writer of json_text.hpp.

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace analytics {

// A text member that may be absent: null when empty.
nlohmann::ordered_json text_or_null(const std::string& text);

// Numbers with decimals keep the fixed form the summaries have always had
// ("seconds":0.120, "reject_ratio":0.000000) where nlohmann writes the
// shortest one (0.12, 0.0): every float member is written with `decimals`
// digits, or with those its key has in `decimals_by_key`. Strings are
// escaped by nlohmann (invalid UTF-8 replaced by U+FFFD).
std::string dump_json(const nlohmann::ordered_json& document, int decimals = 3,
                      const std::map<std::string, int>& decimals_by_key = {});

} // namespace analytics
