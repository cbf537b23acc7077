#include <analytics/load/copy_text.hpp>
#include <analytics/parse/timestamp.hpp>
#include <analytics/record/access_json.hpp>
#include <analytics/util/byte_scan.hpp>
#include <analytics/util/json_text.hpp>

#include <cstring>

namespace analytics::load {

const char* const access_columns =
    "id, message, app_id, app_path, app_name, user_id, user_name, org_id, org_name, roles, "
    "auth_method, request_method, request_path, request_query_string, request_details, "
    "response_time, response_size, status_code, client_ip, server_address, context_data, "
    "api_key_id, tier_id, visit_token, user_agent, user_agent_family, user_agent_version, "
    "os_family, os_version, device_family, device_brand, device_model, device_type, referrer, "
    "referring_domain, source_host, utm_source, utm_medium, utm_term, utm_content, utm_campaign, "
    "client_name, client_version, client_channel, client_instance, ts";

const char* const search_columns =
    "search_id, visit_token, client_name, client_version, client_channel, "
    "client_instance, source_host, query, search_url, view, page, per_page, sort, search_field, "
    "results_count, total_pages, zero_results, properties, occurred_at";

const char* const impression_columns =
    "search_id, visit_token, resource_id, rank, page, view, properties, occurred_at";

const char* const event_columns =
    "event_id, event_type, visit_token, search_id, resource_id, client_name, "
    "client_version, client_channel, client_instance, source_host, rank, page, view, label, "
    "destination_url, source_component, properties, occurred_at";

namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

// One row under construction: fields separated by tabs, "\n" at the end.
class RowWriter {
  public:
    explicit RowWriter(std::string& out) : m_out(out) {}

    ~RowWriter() { m_out.push_back('\n'); }

    RowWriter(const RowWriter&) = delete;
    RowWriter& operator=(const RowWriter&) = delete;

    std::string& next() {
        if (!m_first) {
            m_out.push_back('\t');
        }
        m_first = false;
        return m_out;
    }

    void null() { next().append("\\N"); }

    void text(std::string_view value) { append_copy_text(next(), value); }

    void text(const std::string& value) { append_copy_text(next(), value); }

    void text(const record::Nullable& value) {
        if (value.is_null()) {
            null();
        } else {
            text(value.view());
        }
    }

    void text(const std::optional<std::string>& value) {
        if (value) {
            text(*value);
        } else {
            null();
        }
    }

    void json(const std::optional<std::string>& value) {
        if (value) {
            append_copy_json(next(), *value);
        } else {
            null();
        }
    }

    void timestamp(std::int64_t us) { parse::append_iso_utc(next(), us); }

    template <typename T>
    void number(T value) {
        append_int(next(), static_cast<std::int64_t>(value));
    }

    template <typename T>
    void number(const record::NullableNumber<T>& value) {
        if (value.null) {
            null();
        } else {
            number(value.value);
        }
    }

    template <typename T>
    void number(const std::optional<T>& value) {
        if (value) {
            number(*value);
        } else {
            null();
        }
    }

    void boolean(bool value) { next().push_back(value ? 't' : 'f'); }

  private:
    std::string& m_out;
    bool m_first = true;
};

// {"a","b\"c"}: a text[] literal, elements always quoted.
void append_array_literal(std::string& out, const std::vector<std::string>& items) {
    out.push_back('{');
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out.push_back(',');
        }
        out.push_back('"');
        for (char c : items[i]) {
            if (c == '"' || c == '\\') {
                out.push_back('\\');
            }
            out.push_back(c);
        }
        out.push_back('"');
    }
    out.push_back('}');
}

} // namespace

void append_copy_text(std::string& out, std::string_view text) {
    std::size_t clean = 0; // start of the run not yet copied
    for (std::size_t i = find_control_or(text, 0, '\\', '\\'); i < text.size();
         i = find_control_or(text, i + 1, '\\', '\\')) {
        const char* escape = nullptr;
        switch (text[i]) {
        case '\\':
            escape = "\\\\";
            break;
        case '\n':
            escape = "\\n";
            break;
        case '\r':
            escape = "\\r";
            break;
        case '\t':
            escape = "\\t";
            break;
        case '\0':
            break;
        default:
            continue; // other control characters travel as they are
        }
        out.append(text.data() + clean, i - clean);
        if (escape != nullptr) {
            out.append(escape);
        } else {
            out.append(replacement_character);
        }
        clean = i + 1;
    }
    out.append(text.data() + clean, text.size() - clean);
}

void append_copy_json(std::string& out, std::string_view json) {
    // JSON text has no raw control characters; only backslashes need doubling,
    // and an escaped NUL must be replaced. Escape pairs are walked as pairs so
    // that "\\u0000" (a backslash, then "u0000") stays as it is.
    std::size_t clean = 0;
    for (std::size_t i = find_control_or(json, 0, '\\', '\\'); i < json.size();
         i = find_control_or(json, i + 1, '\\', '\\')) {
        const char c = json[i];
        if (c != '\\' && c != '\n' && c != '\r' && c != '\t' && c != '\0') {
            continue;
        }
        out.append(json.data() + clean, i - clean);
        clean = i + 1;
        if (c != '\\') { // outside strings only: whitespace, or junk jsonb will refuse
            append_copy_text(out, json.substr(i, 1));
            continue;
        }
        if (json.substr(i, 6) == "\\u0000") {
            out.append("\\\\ufffd");
            i += 5;
            clean = i + 1;
            continue;
        }
        out.append("\\\\");
        if (i + 1 < json.size()) { // the escaped character travels with its backslash
            ++i;
            append_copy_text(out, json.substr(i, 1));
            clean = i + 1;
        }
    }
    out.append(json.data() + clean, json.size() - clean);
}

void append_copy_row(std::string& out, const record::AccessRecord& r, std::string& scratch) {
    RowWriter w(out);
    w.text(r.id);
    w.text(r.message);
    w.text(r.app_id);
    w.text(r.app_path);
    w.text(r.app_name);
    w.text(r.user_id);
    w.text(r.user_name);
    w.text(r.org_id);
    w.text(r.org_name);
    if (r.roles_null) {
        w.null();
    } else {
        scratch.clear();
        append_array_literal(scratch, r.roles);
        w.text(scratch);
    }
    w.text(r.auth_method);
    w.text(r.request_method);
    w.text(r.request_path);
    w.text(r.request_query_string);
    if (r.request_details.empty()) {
        w.null();
    } else {
        scratch.clear();
        record::append_json(scratch, r.request_details);
        append_copy_json(w.next(), scratch);
    }
    w.number(r.response_time);
    w.number(r.response_size);
    w.number(r.status_code);
    w.text(r.client_ip);
    w.text(r.server_address);
    if (r.context_data.empty()) {
        w.null();
    } else {
        scratch.clear();
        record::append_json(scratch, r.context_data);
        append_copy_json(w.next(), scratch);
    }
    w.number(r.api_key_id);
    w.number(r.tier_id);
    w.text(r.visit_token);
    w.text(r.user_agent);
    w.text(r.user_agent_family);
    w.text(r.user_agent_version);
    w.text(r.os_family);
    w.text(r.os_version);
    w.text(r.device_family);
    w.text(r.device_brand);
    w.text(r.device_model);
    w.text(r.device_type);
    w.text(r.referrer);
    w.text(r.referring_domain);
    w.text(r.source_host);
    w.text(r.utm_source);
    w.text(r.utm_medium);
    w.text(r.utm_term);
    w.text(r.utm_content);
    w.text(r.utm_campaign);
    w.text(r.client_name);
    w.text(r.client_version);
    w.text(r.client_channel);
    w.text(r.client_instance);
    w.timestamp(r.ts_us);
}

void append_copy_row(std::string& out, const parse::SearchRow& r) {
    RowWriter w(out);
    w.text(r.search_id);
    w.text(r.visit_token);
    w.text(r.client_name);
    w.text(r.client_version);
    w.text(r.client_channel);
    w.text(r.client_instance);
    w.text(r.source_host);
    w.text(r.query);
    w.text(r.search_url);
    w.text(r.view);
    w.number(r.page);
    w.number(r.per_page);
    w.text(r.sort);
    w.text(r.search_field);
    w.number(r.results_count);
    w.number(r.total_pages);
    w.boolean(r.zero_results);
    w.json(r.properties);
    w.timestamp(r.occurred_at_us);
}

void append_copy_row(std::string& out, const parse::ImpressionRow& r) {
    RowWriter w(out);
    w.text(r.search_id);
    w.text(r.visit_token);
    w.text(r.resource_id);
    w.number(r.rank);
    w.number(r.page);
    w.text(r.view);
    w.json(r.properties);
    w.timestamp(r.occurred_at_us);
}

void append_copy_row(std::string& out, const parse::EventRow& r) {
    RowWriter w(out);
    w.text(r.event_id);
    w.text(r.event_type);
    w.text(r.visit_token);
    w.text(r.search_id);
    w.text(r.resource_id);
    w.text(r.client_name);
    w.text(r.client_version);
    w.text(r.client_channel);
    w.text(r.client_instance);
    w.text(r.source_host);
    w.number(r.rank);
    w.number(r.page);
    w.text(r.view);
    w.text(r.label);
    w.text(r.destination_url);
    w.text(r.source_component);
    w.json(r.properties);
    w.timestamp(r.occurred_at_us);
}

} // namespace analytics::load
