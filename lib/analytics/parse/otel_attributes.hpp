#pragma once

// OpenTelemetry attribute keys → access_logs fields, shared by the Vector
// JSON (`otel`) and OTLP/JSON (`otlp`) formats. Both the geOrchestra gateway
// keys and the semantic-convention ones are read (SPEC §4).

#include <analytics/parse/access_parser.hpp>

#include <string>
#include <string_view>

namespace analytics::parse {

class OtelAttributes {
  public:
    void start(ParsedRecord& item);
    // One attribute, its value as text.
    void apply(std::string_view key, std::string_view value);
    // After the last attribute: URL fallbacks. False when the record holds no
    // HTTP request at all.
    bool finish();

  private:
    ParsedRecord* m_item = nullptr;
    std::string m_url;
    std::string m_remote_addr;
    std::size_t m_http_keys = 0;
};

} // namespace analytics::parse
