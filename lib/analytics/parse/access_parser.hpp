#pragma once

// The access-log input formats. A parser turns one input line into zero or
// more records holding the raw fields (the enricher derives the rest).

#include <analytics/record/access_record.hpp>
#include <analytics/record/request_extras.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace analytics::config {
struct Config;
}

namespace analytics::time {
class LocalZone;
}

namespace analytics::parse {

struct ParsedRecord {
    record::AccessRecord record; // id set when the source has one (OTel span id)
    record::RequestExtras extras;
};

// Records parsed from one line; buffers are reused from line to line.
class ParsedBatch {
  public:
    ParsedBatch() = default;
    ParsedBatch(const ParsedBatch&) = delete;
    ParsedBatch& operator=(const ParsedBatch&) = delete;

    // A moved-from batch is empty (and usable).
    ParsedBatch(ParsedBatch&& other) noexcept
        : m_items(std::move(other.m_items)), m_count(std::exchange(other.m_count, 0)),
          m_rejects(std::move(other.m_rejects)) {
        other.m_items.clear();
        other.m_rejects.clear();
    }

    ParsedBatch& operator=(ParsedBatch&& other) noexcept {
        if (this != &other) {
            m_items = std::move(other.m_items);
            m_count = std::exchange(other.m_count, 0);
            m_rejects = std::move(other.m_rejects);
            other.m_items.clear();
            other.m_rejects.clear();
        }
        return *this;
    }

    ~ParsedBatch() = default;

    ParsedRecord& add() {
        if (m_count == m_items.size()) {
            m_items.emplace_back();
        }
        ParsedRecord& item = m_items[m_count++];
        item.record.clear();
        item.extras.clear();
        return item;
    }

    void reset() noexcept {
        m_count = 0;
        m_rejects.clear();
    }

    void drop_last() noexcept { --m_count; }

    std::size_t size() const noexcept { return m_count; }

    ParsedRecord& operator[](std::size_t i) noexcept { return m_items[i]; }

    // A record inside a multi-record line (OTLP) that could not be used.
    void reject(std::string reason) { m_rejects.push_back(std::move(reason)); }

    const std::vector<std::string>& rejects() const noexcept { return m_rejects; }

  private:
    std::vector<ParsedRecord> m_items;
    std::size_t m_count = 0;
    std::vector<std::string> m_rejects;
};

class AccessParser {
  public:
    virtual ~AccessParser() = default;
    // Parses one line (no line terminator) into out (reset first). Returns
    // false with a reason when the line yields no record.
    virtual bool parse(std::string_view line, ParsedBatch& out, std::string& reason) = 0;
};

enum class TextVariant { common, combined, georchestra };

std::unique_ptr<AccessParser> make_clf_parser(TextVariant variant, const config::Config& config);
std::unique_ptr<AccessParser> make_regex_parser(const std::string& pattern,
                                                const config::Config& config,
                                                const time::LocalZone& zone);
// The `regex` format's parser for an OpenTelemetry record's message
// (parsers.opentelemetry.text_message_parser): the same group names, no
// timestamp required, bare response times in milliseconds.
std::unique_ptr<AccessParser> make_message_regex_parser(const std::string& pattern,
                                                        const time::LocalZone& zone);
// With a message_regex, each record's message is parsed with it (line by
// line, the first match) and what its groups give fills the fields the
// record's attributes left empty; never the id or a timestamp it has.
std::unique_ptr<AccessParser> make_otel_parser(const time::LocalZone& zone,
                                               const std::string& message_regex = "");
std::unique_ptr<AccessParser> make_otlp_parser();
std::unique_ptr<AccessParser> make_api_json_parser(const time::LocalZone& zone);

// Response time in milliseconds from "18ms", "0.626" (seconds), "1.32s",
// "1234us", or a bare integer in default_unit ("ms", "s" or "us").
bool parse_response_time(std::string_view text, std::string_view default_unit, std::int32_t& ms);

} // namespace analytics::parse
