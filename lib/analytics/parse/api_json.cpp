// The `api-json` format: one API request log entry per line, as the BTAA
// middleware builds it (btaa-analytics-storage.md §4.2): endpoint, method,
// status_code, requested_at, response_time_ms, ip_address, user_agent,
// referrer, visit_token, api_key_id, tier_id, utm_*, client_*, properties.

#include <analytics/parse/access_parser.hpp>
#include <analytics/parse/json_line.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/text.hpp>

#include <simdjson.h>

#include <cmath>

namespace analytics::parse {

namespace {

using namespace simdjson;

bool text_of(dom::element value, std::string_view& out, std::string& scratch) {
    if (value.get_string().get(out) == SUCCESS) {
        return true;
    }
    if (value.is_int64() || value.is_uint64() || value.is_double()) {
        scratch = simdjson::minify(value);
        out = scratch;
        return true;
    }
    return false;
}

template <typename T>
bool integer_of(dom::element value, T& out) {
    double number = 0;
    std::string_view text;
    if (value.get_string().get(text) == SUCCESS) {
        text = trim(text);
        char* end = nullptr;
        const std::string copy(text);
        number = std::strtod(copy.c_str(), &end);
        if (copy.empty() || end != copy.c_str() + copy.size()) {
            return false;
        }
    } else if (value.is_int64()) {
        number = static_cast<double>(int64_t(value));
    } else if (value.is_double()) {
        number = double(value);
    } else {
        return false;
    }
    if (!std::isfinite(number) || number != std::floor(number) ||
        number > static_cast<double>(std::numeric_limits<T>::max()) ||
        number < static_cast<double>(std::numeric_limits<T>::min())) {
        return false;
    }
    out = static_cast<T>(number);
    return true;
}

class ApiJsonParser final : public AccessParser {
  public:
    explicit ApiJsonParser(const time::LocalZone& zone) : m_zone(zone) {}

    bool parse(std::string_view line, ParsedBatch& out, std::string& reason) override {
        out.reset();
        dom::element root;
        if (!m_line.parse(m_parser, line, root, reason)) {
            return false;
        }
        dom::object entry;
        if (root.get_object().get(entry) != SUCCESS) {
            reason = "not a JSON object";
            return false;
        }
        ParsedRecord& item = out.add();
        auto& r = item.record;
        bool have_time = false;
        bool have_endpoint = false;
        std::string_view text;
        for (auto [key, value] : entry) {
            if (value.is_null()) {
                continue;
            }
            if (key == "requested_at") {
                if (text_of(value, text, m_scratch)) {
                    if (const auto ts = time::parse_any_time(text, m_zone)) {
                        r.ts_us = *ts;
                        have_time = true;
                    }
                }
            } else if (key == "endpoint") {
                if (value.get_string().get(text) == SUCCESS && !text.empty()) {
                    item.extras.target.assign(text.data(), text.size());
                    have_endpoint = true;
                }
            } else if (key == "method") {
                if (value.get_string().get(text) == SUCCESS) {
                    r.request_method.set_or_null(text);
                }
            } else if (key == "status_code") {
                std::int32_t status = 0;
                if (integer_of(value, status)) {
                    r.status_code.set(status);
                } else {
                    item.extras.null_reasons.push_back(
                        "status_code not an integer in range, stored as NULL");
                }
            } else if (key == "response_time_ms") {
                std::int32_t ms = 0;
                if (integer_of(value, ms)) {
                    r.response_time.set(ms);
                } else {
                    item.extras.null_reasons.push_back(
                        "response_time_ms not an integer in range, stored as NULL");
                }
            } else if (key == "ip_address") {
                if (value.get_string().get(text) == SUCCESS) {
                    r.client_ip.set_or_null(text);
                }
            } else if (key == "api_key_id") {
                std::int64_t id = 0;
                if (integer_of(value, id)) {
                    r.api_key_id.set(id);
                } else {
                    item.extras.null_reasons.push_back(
                        "api_key_id not an integer in range, stored as NULL");
                }
            } else if (key == "tier_id") {
                std::int32_t id = 0;
                if (integer_of(value, id)) {
                    r.tier_id.set(id);
                } else {
                    item.extras.null_reasons.push_back(
                        "tier_id not an integer in range, stored as NULL");
                }
            } else if (key == "properties") {
                read_properties(value, item);
            } else if (value.get_string().get(text) == SUCCESS) {
                record::set_column(r, key, text); // user_agent, referrer, utm_*, client_*, …
            }
        }
        if (!have_time) {
            out.drop_last();
            reason = "API log entry without a valid requested_at";
            return false;
        }
        if (!have_endpoint) {
            out.drop_last();
            reason = "API log entry without an endpoint";
            return false;
        }
        r.context_data.set_string("source_type", "api_log");
        return true;
    }

  private:
    // properties.query_params become the request parameters; properties.origin the Origin.
    void read_properties(dom::element properties, ParsedRecord& item) {
        dom::object params;
        if (properties["query_params"].get_object().get(params) == SUCCESS) {
            // Already decoded by the API: they are the request parameters.
            for (auto [key, value] : params) {
                std::string_view text;
                if (!text_of(value, text, m_scratch) || text.empty()) {
                    continue;
                }
                assign_lower_ascii(m_key, key);
                item.record.request_details.set_string(m_key, text);
            }
            item.extras.explicit_params = true;
        }
        std::string_view origin;
        if (properties["origin"].get_string().get(origin) == SUCCESS) {
            item.extras.origin.assign(origin.data(), origin.size());
        }
    }

    const time::LocalZone& m_zone;
    dom::parser m_parser;
    JsonLine m_line;
    std::string m_scratch;
    std::string m_key;
};

} // namespace

std::unique_ptr<AccessParser> make_api_json_parser(const time::LocalZone& zone) {
    return std::make_unique<ApiJsonParser>(zone);
}

} // namespace analytics::parse
