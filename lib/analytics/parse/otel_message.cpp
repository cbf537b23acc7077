#include <analytics/parse/otel_message.hpp>

#include <algorithm>

namespace analytics::parse {

namespace {

using record::JsonObject;
using record::Nullable;
using record::NullableList;
using record::NullableNumber;

void fill(Nullable& into, const Nullable& from) {
    if (into.is_null() && from.has_value()) {
        into = from;
    }
}

template <typename T>
void fill(NullableNumber<T>& into, const NullableNumber<T>& from) {
    if (into.null && !from.null) {
        into = from;
    }
}

void fill(NullableList& into, const NullableList& from) {
    if (into.null && !from.null) {
        into = from;
    }
}

// The id and the time are decided by the caller; a regex never fills a
// JSON column.
void fill(std::string&, const std::string&) {}

void fill(std::int64_t&, const std::int64_t&) {}

void fill(JsonObject&, const JsonObject&) {}

void fill_text(std::string& into, const std::string& from) {
    if (into.empty()) {
        into = from;
    }
}

} // namespace

OtelMessageParser::OtelMessageParser(const std::string& pattern, const time::LocalZone& zone)
    : m_parser(make_message_regex_parser(pattern, zone)) {}

bool OtelMessageParser::complete(std::string_view message, ParsedRecord& item, bool has_timestamp) {
    while (!message.empty()) {
        const std::size_t end = std::min(message.find('\n'), message.size());
        std::string_view line = message.substr(0, end);
        message.remove_prefix(std::min(end + 1, message.size()));
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty() || !m_parser->parse(line, m_batch, m_reason)) {
            continue;
        }
        const ParsedRecord& parsed = m_batch[0];
        auto& into = item.record;
        const auto& from = parsed.record;
#define ANALYTICS_ACCESS_COLUMN(name, member, kind) fill(into.member, from.member);
#include <analytics/record/access_columns.def>
#undef ANALYTICS_ACCESS_COLUMN
        if (!has_timestamp && from.ts_us != 0) {
            into.ts_us = from.ts_us; // a line's second-precision time, when nothing better
        }
        // The request target only when the attributes gave no path at all.
        if (into.request_path.is_null() && item.extras.target.empty()) {
            item.extras.target = parsed.extras.target;
        }
        fill_text(item.extras.user_field, parsed.extras.user_field);
        fill_text(item.extras.app_path, parsed.extras.app_path);
        fill_text(item.extras.app_id, parsed.extras.app_id);
        return true;
    }
    return false;
}

} // namespace analytics::parse
