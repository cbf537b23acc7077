#pragma once

// geOrchestra's OpenTelemetry text_message_parser: a record's message (Netty
// access-log lines that Vector's reduce transform merged into the gateway's
// record, newline-joined) parsed with a regex of the `regex` format's group
// names. The old tool's intended merge order is generic fields, then the
// groups, then the MDC attributes: so here the groups fill only what the
// attributes left empty, and never the id or a timestamp the record has.

#include <analytics/parse/access_parser.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace analytics::parse {

class OtelMessageParser {
  public:
    OtelMessageParser(const std::string& pattern, const time::LocalZone& zone);

    // Parses 'message' line by line; the first line that matches fills the
    // empty fields of 'item'. Returns whether a line matched.
    bool complete(std::string_view message, ParsedRecord& item, bool has_timestamp);

  private:
    std::unique_ptr<AccessParser> m_parser;
    ParsedBatch m_batch;
    std::string m_reason;
};

} // namespace analytics::parse
