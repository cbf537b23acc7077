#include <analytics/parse/otel_attributes.hpp>
#include <analytics/util/text.hpp>
#include <analytics/util/url.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <vector>

namespace analytics::parse {

namespace {

template <typename T>
bool read_integer(std::string_view text, T& out) {
    text = trim(text);
    // Plain digits, as most values are, read directly: up to 15 of them a
    // double holds exactly, so the result is the one of the general path.
    if (!text.empty() && text.size() <= 15 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        std::int64_t digits = 0;
        for (const char c : text) {
            digits = digits * 10 + (c - '0');
        }
        if (digits > static_cast<std::int64_t>(std::numeric_limits<T>::max())) {
            return false;
        }
        out = static_cast<T>(digits);
        return true;
    }
    double value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc{} || result.ptr != text.data() + text.size() ||
        !(value >= -9.2e18) || !(value <= 9.2e18)) {
        return false;
    }
    if (value > static_cast<double>(std::numeric_limits<T>::max()) ||
        value < static_cast<double>(std::numeric_limits<T>::min())) {
        return false;
    }
    out = static_cast<T>(value);
    return true;
}

bool truthy(std::string_view v) {
    return iequals(v, "true") || v == "1" || iequals(v, "yes");
}

// What an attribute key sets (SPEC §4): each name once, here.
enum class Field {
    none,
    path,
    query,
    url,
    method,
    status,
    duration,
    size,
    server,
    client,
    remote_addr,
    user_id,
    user_name,
    org_id,
    org_name,
    auth_method,
    roles,
    user_agent,
    app_path_is_root,
    // Request headers (after http.request.header.), matched ignoring case.
    referrer,
    forwarded_for,
    real_ip,
    origin,
    visit_token,
    client_name,
    client_version,
    client_channel,
    client_instance,
};

struct Name {
    std::string_view name;
    Field field;
};

constexpr Name attribute_names[] = {
    {"http.request.path", Field::path},
    {"url.path", Field::path},
    {"http.request.query-string", Field::query},
    {"url.query", Field::query},
    {"http.request.url", Field::url},
    {"url.full", Field::url},
    {"http.request.method", Field::method},
    {"http.status_code", Field::status},
    {"http.response.status_code", Field::status},
    {"http.response.duration_ms", Field::duration},
    {"http.response.body.size_bytes", Field::size},
    {"http.response.body.size", Field::size},
    {"server.address", Field::server},
    {"client.address", Field::client},
    {"http.request.remote-addr", Field::remote_addr},
    {"enduser.uuid", Field::user_id},
    {"enduser.id", Field::user_name},
    {"enduser.org.uuid", Field::org_id},
    {"enduser.org.id", Field::org_name},
    {"enduser.auth-method", Field::auth_method},
    {"enduser.roles", Field::roles},
    {"user_agent.original", Field::user_agent},
    {"app_path_is_root", Field::app_path_is_root},
};

constexpr Name header_names[] = {
    {"User-Agent", Field::user_agent},
    {"Referer", Field::referrer},
    {"Referrer", Field::referrer},
    {"X-Forwarded-For", Field::forwarded_for},
    {"X-Real-IP", Field::real_ip},
    {"Origin", Field::origin},
    {"X-Visit-Token", Field::visit_token},
    {"X-BTAA-Client-Name", Field::client_name},
    {"X-BTAA-Client-Version", Field::client_version},
    {"X-BTAA-Client-Channel", Field::client_channel},
    {"X-BTAA-Client-Instance", Field::client_instance},
};

// The names grouped by size: a key is compared with the names of its own
// size only (a record has a score of attributes, most of them unused).
class NamesBySize {
  public:
    template <std::size_t N>
    explicit NamesBySize(const Name (&names)[N]) {
        for (const Name& name : names) {
            m_by_size[name.name.size()].push_back(name);
        }
    }

    Field find(std::string_view key, bool ignore_case) const noexcept {
        if (key.size() >= max_size) {
            return Field::none;
        }
        for (const Name& name : m_by_size[key.size()]) {
            if (ignore_case ? iequals(key, name.name) : key == name.name) {
                return name.field;
            }
        }
        return Field::none;
    }

  private:
    static constexpr std::size_t max_size = 32;
    std::array<std::vector<Name>, max_size> m_by_size;
};

} // namespace

void OtelAttributes::start(ParsedRecord& item) {
    m_item = &item;
    m_url.clear();
    m_remote_addr.clear();
    m_http_keys = 0;
}

void OtelAttributes::apply(std::string_view key, std::string_view value) {
    static const NamesBySize attributes(attribute_names);
    static const NamesBySize headers(header_names);
    auto& r = m_item->record;
    auto& extras = m_item->extras;
    constexpr std::string_view parameter_prefix = "http.request.parameter.";
    constexpr std::string_view header_prefix = "http.request.header.";
    Field field = Field::none;
    if (key.substr(0, parameter_prefix.size()) == parameter_prefix) {
        // Straight into the entry the parameter becomes (first value kept).
        record::JsonObject::Entry& entry = r.request_details.spare();
        assign_lower_ascii(entry.key, key.substr(parameter_prefix.size()));
        if (!value.empty() && !entry.key.empty() && r.request_details.find(entry.key) == nullptr) {
            assign_text(entry.text, value);
            r.request_details.append_spare(record::JsonObject::Kind::string);
        }
        extras.explicit_params = true;
        ++m_http_keys;
        return;
    }
    if (key.substr(0, header_prefix.size()) == header_prefix) {
        field = headers.find(key.substr(header_prefix.size()), true);
        if (field == Field::none) {
            return;
        }
    } else {
        field = attributes.find(key, false);
    }
    switch (field) {
    case Field::none:
        break;
    case Field::path:
        r.request_path.set_or_null(value);
        ++m_http_keys;
        break;
    case Field::query:
        r.request_query_string.set_or_null(value);
        break;
    case Field::url:
        m_url.assign(value.data(), value.size());
        ++m_http_keys;
        break;
    case Field::method:
        r.request_method.set_or_null(value);
        to_upper_ascii(r.request_method.mutable_value());
        ++m_http_keys;
        break;
    case Field::status: {
        std::int32_t status = 0;
        if (read_integer(value, status)) {
            r.status_code.set(status);
        } else if (!trim(value).empty()) {
            extras.null_reasons.push_back("status_code not an integer in range, stored as NULL");
        }
        break;
    }
    case Field::duration: {
        std::int32_t ms = 0;
        if (read_integer(value, ms)) {
            r.response_time.set(ms);
        } else if (!trim(value).empty()) {
            extras.null_reasons.push_back("response_time not an integer in range, stored as NULL");
        }
        break;
    }
    case Field::size: {
        std::int64_t size = 0;
        if (read_integer(value, size)) {
            r.response_size.set(size);
        } else if (!trim(value).empty()) {
            extras.null_reasons.push_back("response_size not an integer in range, stored as NULL");
        }
        break;
    }
    case Field::server:
        r.server_address.set_or_null(value);
        break;
    case Field::client:
        r.client_ip.set_or_null(value);
        break;
    case Field::remote_addr:
        m_remote_addr.assign(value.data(), value.size());
        break;
    case Field::user_id:
        r.user_id.set_or_null(value);
        break;
    case Field::user_name:
        r.user_name.set_or_null(value);
        break;
    case Field::org_id:
        r.org_id.set_or_null(value);
        break;
    case Field::org_name:
        r.org_name.set_or_null(value);
        break;
    case Field::auth_method:
        r.auth_method.set_or_null(value);
        break;
    case Field::roles:
        record::set_roles(r, value); // missing roles are NULL, never [""]
        break;
    case Field::user_agent:
        r.user_agent.set_or_null(value);
        break;
    case Field::app_path_is_root:
        extras.app_path_is_root = truthy(value);
        break;
    case Field::referrer:
        r.referrer.set_or_null(value);
        break;
    case Field::forwarded_for:
        extras.forwarded_for.assign(value.data(), value.size());
        break;
    case Field::real_ip:
        extras.real_ip.assign(value.data(), value.size());
        break;
    case Field::origin:
        extras.origin.assign(value.data(), value.size());
        break;
    case Field::visit_token:
        r.visit_token.set_or_null(value);
        break;
    case Field::client_name:
        r.client_name.set_or_null(value);
        break;
    case Field::client_version:
        r.client_version.set_or_null(value);
        break;
    case Field::client_channel:
        r.client_channel.set_or_null(value);
        break;
    case Field::client_instance:
        r.client_instance.set_or_null(value);
        break;
    }
}

bool OtelAttributes::finish() {
    auto& r = m_item->record;
    auto& extras = m_item->extras;
    if (!m_url.empty()) {
        const UrlParts url = split_url(m_url);
        if (r.request_path.is_null()) {
            r.request_path.set_or_null(url.path);
        }
        if (r.request_query_string.is_null() && !url.query.empty()) {
            r.request_query_string.set(url.query);
        }
        if (r.server_address.is_null() && !url.host.empty()) {
            r.server_address.set(url.host);
        }
    }
    if (r.client_ip.is_null() && !m_remote_addr.empty()) {
        // "172.18.0.1/<unresolved>:42032": the address before the slash.
        std::string_view addr = m_remote_addr;
        addr = addr.substr(0, addr.find('/'));
        if (addr.find(':') != std::string_view::npos &&
            addr.find(':') == addr.rfind(':')) { // IPv4 with a port
            addr = addr.substr(0, addr.find(':'));
        }
        r.client_ip.set_or_null(addr);
    }
    (void)extras;
    return m_http_keys > 0;
}

} // namespace analytics::parse
