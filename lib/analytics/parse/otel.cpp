// OpenTelemetry inputs: `otel` (Vector's JSON log events, the
// opentelemetry_buffer row shape) and `otlp` (the Collector's OTLP/JSON
// export), through the simdjson DOM parser, which dispatches to the best
// kernel at run time. Its On-Demand API was measured slower here
// (bench/json_ondemand.sh): it validates only what it visits, and visiting
// every value, as rejecting the same lines needs, costs twice the DOM's time.

#include <analytics/parse/access_parser.hpp>
#include <analytics/parse/json_line.hpp>
#include <analytics/parse/otel_attributes.hpp>
#include <analytics/parse/otel_message.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/text.hpp>

#include <simdjson.h>

#include <limits>
#include <optional>

namespace analytics::parse {

namespace {

using namespace simdjson;

// A JSON value as text: strings unescaped, numbers and booleans as written,
// arrays of scalars comma-joined, objects as compact JSON.
bool element_text(dom::element value, std::string& scratch, std::string_view& out) {
    switch (value.type()) {
    case dom::element_type::STRING:
        return value.get_string().get(out) == SUCCESS;
    case dom::element_type::INT64:
        scratch = std::to_string(int64_t(value));
        break;
    case dom::element_type::UINT64:
        scratch = std::to_string(uint64_t(value));
        break;
    case dom::element_type::DOUBLE:
        scratch = simdjson::minify(value);
        break;
    case dom::element_type::BOOL:
        out = bool(value) ? "true" : "false";
        return true;
    case dom::element_type::NULL_VALUE:
        out = {};
        return true;
    case dom::element_type::ARRAY: {
        scratch.clear();
        std::string nested;
        for (dom::element item : dom::array(value)) {
            std::string_view text;
            if (!element_text(item, nested, text)) {
                return false;
            }
            if (!scratch.empty()) {
                scratch.push_back(',');
            }
            scratch.append(text.data(), text.size());
        }
        break;
    }
    case dom::element_type::OBJECT:
        scratch = simdjson::minify(value);
        break;
    }
    out = scratch;
    return true;
}

std::optional<std::int64_t> element_time(dom::element value, const time::LocalZone& zone) {
    std::string scratch;
    std::string_view text;
    if (!element_text(value, scratch, text)) {
        return std::nullopt;
    }
    return time::parse_any_time(text, zone);
}

class VectorJsonParser final : public AccessParser {
  public:
    VectorJsonParser(const time::LocalZone& zone, const std::string& message_regex) : m_zone(zone) {
        if (!message_regex.empty()) {
            m_message.emplace(message_regex, zone);
        }
    }

    bool parse(std::string_view line, ParsedBatch& out, std::string& reason) override {
        out.reset();
        dom::element root;
        if (!m_line.parse(m_parser, line, root, reason)) {
            return false;
        }
        dom::object object;
        if (root.get_object().get(object) != SUCCESS) {
            reason = "not a JSON object";
            return false;
        }
        ParsedRecord& item = out.add();
        auto& r = item.record;
        m_attributes.start(item);
        std::optional<std::int64_t> ts;
        std::optional<dom::element> observed; // read only when ts is missing
        bool have_attributes = false;
        std::string_view source_type = "opentelemetry";
        std::string_view text;
        for (auto [key, value] : object) {
            if (key == "attributes") {
                dom::object attributes;
                if (value.get_object().get(attributes) != SUCCESS) {
                    continue; // null attributes: rejected below
                }
                for (auto [name, attribute] : attributes) {
                    if (element_text(attribute, m_value_scratch, text)) {
                        m_attributes.apply(name, text);
                        have_attributes = true;
                    }
                }
            } else if (key == "timestamp") {
                ts = element_time(value, m_zone);
            } else if (key == "observed_timestamp") {
                observed = value;
            } else if (key == "span_id") {
                if (element_text(value, m_value_scratch, text) && !text.empty()) {
                    r.id.assign(text.data(), text.size());
                    r.context_data.set_string("span_id", text);
                }
            } else if (key == "trace_id") {
                if (element_text(value, m_value_scratch, text) && !text.empty()) {
                    r.context_data.set_string("trace_id", text);
                }
            } else if (key == "message") {
                if (element_text(value, m_value_scratch, text)) {
                    r.message.set_or_null(text);
                }
            } else if (key == "source_type") {
                if (value.get_string().get(text) == SUCCESS && !text.empty()) {
                    source_type = text;
                }
            } else if (key == "scope") {
                if (value["name"].get_string().get(text) == SUCCESS) {
                    r.context_data.set_string("logger", text);
                }
            }
        }
        if (!have_attributes) {
            out.drop_last();
            reason = "OTel record without attributes";
            return false;
        }
        const bool http = m_attributes.finish();
        if (!ts && observed) {
            ts = element_time(*observed, m_zone);
        }
        // After the attributes (their URL fallbacks included): the message's
        // groups fill what they left.
        const bool completed = m_message && r.message.has_value() &&
                               m_message->complete(r.message.value(), item, ts.has_value());
        if (!http && !(completed && (r.request_path.has_value() || !item.extras.target.empty()))) {
            out.drop_last();
            reason = "OTel record without HTTP request attributes";
            return false;
        }
        if (!ts && completed && r.ts_us != 0) {
            ts = r.ts_us; // the message line's time
        }
        if (!ts) {
            out.drop_last();
            reason = "OTel record without a valid timestamp";
            return false;
        }
        r.ts_us = *ts;
        r.context_data.set_string("source_type", source_type);
        return true;
    }

  private:
    const time::LocalZone& m_zone;
    JsonLine m_line;
    dom::parser m_parser;
    OtelAttributes m_attributes;
    std::string m_value_scratch;
    std::optional<OtelMessageParser> m_message;
};

// OTLP AnyValue → text.
void any_value_text(dom::element value, std::string& out) {
    out.clear();
    dom::object object;
    if (value.get_object().get(object) != SUCCESS) {
        return;
    }
    for (auto [key, inner] : object) {
        if (key == "stringValue" || key == "bytesValue") {
            std::string_view s;
            if (inner.get_string().get(s) == SUCCESS) {
                out.assign(s.data(), s.size());
            }
        } else if (key == "intValue" || key == "doubleValue") {
            std::string_view s;
            if (inner.get_string().get(s) == SUCCESS) {
                out.assign(s.data(), s.size());
            } else if (inner.is_int64()) {
                out = std::to_string(int64_t(inner));
            } else if (inner.is_uint64()) {
                out = std::to_string(uint64_t(inner));
            } else if (inner.is_double()) {
                out = simdjson::minify(inner);
            }
        } else if (key == "boolValue") {
            bool b = false;
            if (inner.get_bool().get(b) == SUCCESS) {
                out = b ? "true" : "false";
            }
        } else if (key == "arrayValue") {
            dom::array values;
            if (inner["values"].get_array().get(values) == SUCCESS) {
                std::string item;
                for (dom::element element : values) {
                    any_value_text(element, item);
                    if (!out.empty()) {
                        out.push_back(',');
                    }
                    out += item;
                }
            }
        } else if (key == "kvlistValue") {
            out = simdjson::minify(inner);
        }
    }
}

std::optional<std::int64_t> otlp_time(dom::object record, std::string_view key) {
    dom::element value;
    if (record[key].get(value) != SUCCESS) {
        return std::nullopt;
    }
    // Nanoseconds, as a string or a number; past 2262 (int64) is no time.
    std::uint64_t nanos = 0;
    std::string_view text;
    if (value.get_string().get(text) == SUCCESS) {
        if (!parse_integer(text, nanos)) {
            return std::nullopt;
        }
    } else if (value.get_uint64().get(nanos) != SUCCESS) {
        return std::nullopt;
    }
    if (nanos == 0 || nanos > std::uint64_t(std::numeric_limits<std::int64_t>::max())) {
        return std::nullopt; // 0 means "unset" in OTLP
    }
    return std::int64_t(nanos / 1000);
}

class OtlpJsonParser final : public AccessParser {
  public:
    bool parse(std::string_view line, ParsedBatch& out, std::string& reason) override {
        out.reset();
        dom::element root;
        if (!m_line.parse(m_parser, line, root, reason)) {
            return false;
        }
        dom::array resource_logs;
        if (root["resourceLogs"].get_array().get(resource_logs) != SUCCESS) {
            reason = "not an OTLP export: no resourceLogs array";
            return false;
        }
        std::size_t index = 0;
        for (dom::element resource_log : resource_logs) {
            dom::array scope_logs;
            if (resource_log["scopeLogs"].get_array().get(scope_logs) != SUCCESS) {
                continue;
            }
            for (dom::element scope_log : scope_logs) {
                std::string_view scope_name;
                if (scope_log["scope"]["name"].get_string().get(scope_name) != SUCCESS) {
                    scope_name = {};
                }
                dom::array log_records;
                if (scope_log["logRecords"].get_array().get(log_records) != SUCCESS) {
                    continue;
                }
                for (dom::element element : log_records) {
                    add_record(element, scope_name, index++, out);
                }
            }
        }
        if (out.size() == 0 && out.rejects().empty()) {
            reason = "OTLP export without log records";
            return false;
        }
        return out.size() > 0 || !out.rejects().empty();
    }

  private:
    void add_record(dom::element element, std::string_view scope_name, std::size_t index,
                    ParsedBatch& out) {
        dom::object log_record;
        if (element.get_object().get(log_record) != SUCCESS) {
            out.reject("logRecords[" + std::to_string(index) + "]: not an object");
            return;
        }
        ParsedRecord& item = out.add();
        auto& r = item.record;
        m_attributes.start(item);
        dom::array attributes;
        if (log_record["attributes"].get_array().get(attributes) == SUCCESS) {
            for (dom::element attribute : attributes) {
                std::string_view key;
                dom::element value;
                if (attribute["key"].get_string().get(key) != SUCCESS ||
                    attribute["value"].get(value) != SUCCESS) {
                    continue;
                }
                any_value_text(value, m_value);
                m_attributes.apply(key, m_value);
            }
        }
        if (!m_attributes.finish()) {
            out.drop_last();
            out.reject("logRecords[" + std::to_string(index) + "]: no HTTP request attributes");
            return;
        }
        auto ts = otlp_time(log_record, "timeUnixNano");
        if (!ts) {
            ts = otlp_time(log_record, "observedTimeUnixNano");
        }
        if (!ts) {
            out.drop_last();
            out.reject("logRecords[" + std::to_string(index) + "]: no valid timeUnixNano");
            return;
        }
        r.ts_us = *ts;
        std::string_view text;
        if (log_record["spanId"].get_string().get(text) == SUCCESS && !text.empty()) {
            r.id.assign(text.data(), text.size());
            r.context_data.set_string("span_id", text);
        }
        if (log_record["traceId"].get_string().get(text) == SUCCESS && !text.empty()) {
            r.context_data.set_string("trace_id", text);
        }
        dom::element body;
        if (log_record["body"].get(body) == SUCCESS) {
            any_value_text(body, m_value);
            r.message.set_or_null(m_value);
        }
        r.context_data.set_string("source_type", "otlp");
        if (!scope_name.empty()) {
            r.context_data.set_string("logger", scope_name);
        }
    }

    JsonLine m_line;
    dom::parser m_parser;
    OtelAttributes m_attributes;
    std::string m_value;
};

} // namespace

std::unique_ptr<AccessParser> make_otel_parser(const time::LocalZone& zone,
                                               const std::string& message_regex) {
    return std::make_unique<VectorJsonParser>(zone, message_regex);
}

std::unique_ptr<AccessParser> make_otlp_parser() {
    return std::make_unique<OtlpJsonParser>();
}

} // namespace analytics::parse
