#include <analytics/parse/otel_attributes.hpp>
#include <analytics/util/text.hpp>
#include <analytics/util/url.hpp>

#include <charconv>
#include <limits>

namespace analytics::parse {

namespace {

template <typename T>
bool read_integer(std::string_view text, T& out) {
    text = trim(text);
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

} // namespace

void OtelAttributes::start(ParsedRecord& item) {
    m_item = &item;
    m_url.clear();
    m_remote_addr.clear();
    m_http_keys = 0;
}

void OtelAttributes::apply(std::string_view key, std::string_view value) {
    auto& r = m_item->record;
    auto& extras = m_item->extras;
    constexpr std::string_view parameter_prefix = "http.request.parameter.";
    constexpr std::string_view header_prefix = "http.request.header.";
    if (key.substr(0, parameter_prefix.size()) == parameter_prefix) {
        assign_lower_ascii(m_scratch, key.substr(parameter_prefix.size()));
        if (!value.empty() && !m_scratch.empty() && r.request_details.find(m_scratch) == nullptr) {
            r.request_details.set_string(m_scratch, value);
        }
        extras.explicit_params = true;
        ++m_http_keys;
        return;
    }
    if (key.substr(0, header_prefix.size()) == header_prefix) {
        const std::string_view header = key.substr(header_prefix.size());
        if (iequals(header, "User-Agent")) {
            r.user_agent.set_or_null(value);
        } else if (iequals(header, "Referer") || iequals(header, "Referrer")) {
            r.referrer.set_or_null(value);
        } else if (iequals(header, "X-Forwarded-For")) {
            extras.forwarded_for.assign(value.data(), value.size());
        } else if (iequals(header, "X-Real-IP")) {
            extras.real_ip.assign(value.data(), value.size());
        } else if (iequals(header, "Origin")) {
            extras.origin.assign(value.data(), value.size());
        } else if (iequals(header, "X-Visit-Token")) {
            r.visit_token.set_or_null(value);
        } else if (iequals(header, "X-BTAA-Client-Name")) {
            r.client_name.set_or_null(value);
        } else if (iequals(header, "X-BTAA-Client-Version")) {
            r.client_version.set_or_null(value);
        } else if (iequals(header, "X-BTAA-Client-Channel")) {
            r.client_channel.set_or_null(value);
        } else if (iequals(header, "X-BTAA-Client-Instance")) {
            r.client_instance.set_or_null(value);
        }
        return;
    }
    if (key == "http.request.path" || key == "url.path") {
        r.request_path.set_or_null(value);
        ++m_http_keys;
    } else if (key == "http.request.query-string" || key == "url.query") {
        r.request_query_string.set_or_null(value);
    } else if (key == "http.request.url" || key == "url.full") {
        m_url.assign(value.data(), value.size());
        ++m_http_keys;
    } else if (key == "http.request.method") {
        r.request_method.set_or_null(value);
        to_upper_ascii(r.request_method.mutable_value());
        ++m_http_keys;
    } else if (key == "http.status_code" || key == "http.response.status_code") {
        std::int32_t status = 0;
        if (read_integer(value, status)) {
            r.status_code.set(status);
        } else if (!trim(value).empty()) {
            extras.null_reasons.push_back("status_code not an integer in range, stored as NULL");
        }
    } else if (key == "http.response.duration_ms") {
        std::int32_t ms = 0;
        if (read_integer(value, ms)) {
            r.response_time.set(ms);
        } else if (!trim(value).empty()) {
            extras.null_reasons.push_back("response_time not an integer in range, stored as NULL");
        }
    } else if (key == "http.response.body.size_bytes" || key == "http.response.body.size") {
        std::int64_t size = 0;
        if (read_integer(value, size)) {
            r.response_size.set(size);
        } else if (!trim(value).empty()) {
            extras.null_reasons.push_back("response_size not an integer in range, stored as NULL");
        }
    } else if (key == "server.address") {
        r.server_address.set_or_null(value);
    } else if (key == "client.address") {
        r.client_ip.set_or_null(value);
    } else if (key == "http.request.remote-addr") {
        m_remote_addr.assign(value.data(), value.size());
    } else if (key == "enduser.uuid") {
        r.user_id.set_or_null(value);
    } else if (key == "enduser.id") {
        r.user_name.set_or_null(value);
    } else if (key == "enduser.org.uuid") {
        r.org_id.set_or_null(value);
    } else if (key == "enduser.org.id") {
        r.org_name.set_or_null(value);
    } else if (key == "enduser.auth-method") {
        r.auth_method.set_or_null(value);
    } else if (key == "enduser.roles") {
        record::set_roles(r, value); // missing roles are NULL, never [""]
    } else if (key == "user_agent.original") {
        r.user_agent.set_or_null(value);
    } else if (key == "app_path_is_root") {
        extras.app_path_is_root = truthy(value);
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
