#include <analytics/parse/timestamp.hpp>
#include <analytics/record/access_json.hpp>
#include <analytics/util/json_text.hpp>

#include <cstring>
#include <stdexcept>

namespace analytics::record {

namespace {

void append_json_array(std::string& out, const std::vector<std::string>& items) {
    out.push_back('[');
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out.push_back(',');
        }
        append_json_string(out, items[i]);
    }
    out.push_back(']');
}

class ObjectWriter {
  public:
    explicit ObjectWriter(std::string& out) : m_out(out) { m_out.push_back('{'); }

    ~ObjectWriter() { m_out.push_back('}'); }

    ObjectWriter(const ObjectWriter&) = delete;
    ObjectWriter& operator=(const ObjectWriter&) = delete;

    // ,"name": in one append (column names are short and need no escaping).
    std::string& key(std::string_view name) {
        char text[40];
        if (name.size() + 4 > sizeof text) {
            throw std::logic_error("column name too long for ObjectWriter");
        }
        std::size_t n = 0;
        if (!m_first) {
            text[n++] = ',';
        }
        m_first = false;
        text[n++] = '"';
        std::memcpy(text + n, name.data(), name.size());
        n += name.size();
        text[n++] = '"';
        text[n++] = ':';
        m_out.append(text, n);
        return m_out;
    }

    void text(std::string_view name, const Nullable& value) {
        if (value.has_value()) {
            append_json_string(key(name), value.value());
        }
    }

    template <typename T>
    void number(std::string_view name, const NullableNumber<T>& value) {
        if (!value.null) {
            append_int(key(name), value.value);
        }
    }

  private:
    std::string& m_out;
    bool m_first = true;
};

} // namespace

void append_json(std::string& out, const JsonObject& object) {
    out.push_back('{');
    bool first = true;
    for (const auto& entry : object) {
        if (!first) {
            out.push_back(',');
        }
        first = false;
        append_json_string(out, entry.key);
        out.push_back(':');
        switch (entry.kind) {
        case JsonObject::Kind::string:
            append_json_string(out, entry.text);
            break;
        case JsonObject::Kind::boolean:
            out.append(entry.boolean ? "true" : "false");
            break;
        case JsonObject::Kind::null:
            out.append("null");
            break;
        case JsonObject::Kind::raw:
            out.append(entry.text);
            break;
        case JsonObject::Kind::string_array:
            append_json_array(out, entry.array);
            break;
        }
    }
    out.push_back('}');
}

void append_json(std::string& out, const AccessRecord& r) {
    ObjectWriter w(out);
    append_json_string(w.key("id"), r.id);
    std::string& ts = w.key("ts");
    ts.push_back('"');
    parse::append_iso_utc(ts, r.ts_us);
    ts.push_back('"');
    w.text("message", r.message);
    w.text("app_id", r.app_id);
    w.text("app_path", r.app_path);
    w.text("app_name", r.app_name);
    w.text("user_id", r.user_id);
    w.text("user_name", r.user_name);
    w.text("org_id", r.org_id);
    w.text("org_name", r.org_name);
    if (!r.roles_null) {
        append_json_array(w.key("roles"), r.roles);
    }
    w.text("auth_method", r.auth_method);
    w.text("request_method", r.request_method);
    w.text("request_path", r.request_path);
    w.text("request_query_string", r.request_query_string);
    append_json(w.key("request_details"), r.request_details);
    w.number("response_time", r.response_time);
    w.number("response_size", r.response_size);
    w.number("status_code", r.status_code);
    w.text("client_ip", r.client_ip);
    w.text("server_address", r.server_address);
    if (!r.context_data.empty()) {
        append_json(w.key("context_data"), r.context_data);
    }
    w.number("api_key_id", r.api_key_id);
    w.number("tier_id", r.tier_id);
    w.text("visit_token", r.visit_token);
    w.text("user_agent", r.user_agent);
    w.text("user_agent_family", r.user_agent_family);
    w.text("user_agent_version", r.user_agent_version);
    w.text("os_family", r.os_family);
    w.text("os_version", r.os_version);
    w.text("device_family", r.device_family);
    w.text("device_brand", r.device_brand);
    w.text("device_model", r.device_model);
    w.text("device_type", r.device_type);
    w.text("referrer", r.referrer);
    w.text("referring_domain", r.referring_domain);
    w.text("source_host", r.source_host);
    w.text("utm_source", r.utm_source);
    w.text("utm_medium", r.utm_medium);
    w.text("utm_term", r.utm_term);
    w.text("utm_content", r.utm_content);
    w.text("utm_campaign", r.utm_campaign);
    w.text("client_name", r.client_name);
    w.text("client_version", r.client_version);
    w.text("client_channel", r.client_channel);
    w.text("client_instance", r.client_instance);
}

} // namespace analytics::record
