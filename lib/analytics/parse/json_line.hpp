#pragma once

// One JSON document per line for the simdjson DOM parser, shared by every
// JSON format (otel, otlp, api-json, events). simdjson refuses a whole
// document for one number it cannot hold (a 20-digit integer, 1e400); SPEC §4
// wants such a field stored as NULL with a warning, as an out-of-range value
// written as a string is. So such a document is parsed again with those
// numbers turned into strings, and each field's coercion decides.

#include <simdjson.h>

#include <string>
#include <string_view>

namespace analytics::parse {

// Copies json into out with every number token that neither a 64-bit integer
// nor a finite double holds written as a JSON string of the same digits.
// False (out unspecified) when there is no such number.
bool quote_unrepresentable_numbers(std::string_view json, std::string& out);

class JsonLine {
  public:
    // Parses line into root; false with "invalid JSON: …" in reason otherwise.
    // root stays valid until the next call with the same parser.
    bool parse(simdjson::dom::parser& parser, std::string_view line, simdjson::dom::element& root,
               std::string& reason);

  private:
    std::string_view load(std::string_view text);

    std::string m_buffer;
    std::string m_requoted;
};

} // namespace analytics::parse
