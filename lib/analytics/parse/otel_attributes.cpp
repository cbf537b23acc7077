#include <analytics/parse/otel_attributes.hpp>
#include <analytics/util/text.hpp>
#include <analytics/util/url.hpp>

#include <array>
#include <charconv>
#include <limits>
#include <vector>

namespace analytics::parse {

namespace {

template <typename T>
bool read_integer(std::string_view text, T& out) {
    text = trim(text);
    // A plain integer, as most values are, read as one: up to 15 characters
    // a double holds it exactly, so the result is the one of the general path.
    if (std::int64_t integer = 0; text.size() <= 15 && parse_integer(text, integer)) {
        if (integer > static_cast<std::int64_t>(std::numeric_limits<T>::max()) ||
            integer < static_cast<std::int64_t>(std::numeric_limits<T>::min())) {
            return false;
        }
        out = static_cast<T>(integer);
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

// The number in `value` into `field`; NULL with `reason` when it is not an
// integer in range (blank stays NULL silently).
template <typename T>
void set_number(std::string_view value, record::NullableNumber<T>& field, const char* reason,
                record::RequestExtras& extras) {
    T number{};
    if (read_integer(value, number)) {
        field.set(number);
    } else if (!trim(value).empty()) {
        extras.null_reasons.push_back(reason);
    }
}

// What an attribute sets (SPEC §4).
enum class Field {
    column,      // a text column, as given
    http_column, // the same, and the record holds an HTTP request
    extra,       // a request detail for the enricher (RequestExtras)
    url,
    method,
    status,
    duration,
    size,
    remote_addr,
    roles,
    app_path_is_root,
};

using record::AccessRecord;
using record::RequestExtras;

struct Name {
    std::string_view name;
    Field field;
    record::Nullable AccessRecord::*column = nullptr; // Field::column, http_column
    std::string RequestExtras::*extra = nullptr;      // Field::extra
};

// Each name once, here.
const Name attribute_names[] = {
    {"http.request.path", Field::http_column, &AccessRecord::request_path},
    {"url.path", Field::http_column, &AccessRecord::request_path},
    {"http.request.query-string", Field::column, &AccessRecord::request_query_string},
    {"url.query", Field::column, &AccessRecord::request_query_string},
    {"http.request.url", Field::url},
    {"url.full", Field::url},
    {"http.request.method", Field::method},
    {"http.status_code", Field::status},
    {"http.response.status_code", Field::status},
    {"http.response.duration_ms", Field::duration},
    {"http.response.body.size_bytes", Field::size},
    {"http.response.body.size", Field::size},
    {"server.address", Field::column, &AccessRecord::server_address},
    {"client.address", Field::column, &AccessRecord::client_ip},
    {"http.request.remote-addr", Field::remote_addr},
    {"enduser.uuid", Field::column, &AccessRecord::user_id},
    {"enduser.id", Field::column, &AccessRecord::user_name},
    {"enduser.org.uuid", Field::column, &AccessRecord::org_id},
    {"enduser.org.id", Field::column, &AccessRecord::org_name},
    {"enduser.auth-method", Field::column, &AccessRecord::auth_method},
    {"enduser.roles", Field::roles},
    {"user_agent.original", Field::column, &AccessRecord::user_agent},
    {"app_path_is_root", Field::app_path_is_root},
};

// Request headers (after http.request.header.), matched ignoring case.
const Name header_names[] = {
    {"User-Agent", Field::column, &AccessRecord::user_agent},
    {"Referer", Field::column, &AccessRecord::referrer},
    {"Referrer", Field::column, &AccessRecord::referrer},
    {"X-Forwarded-For", Field::extra, nullptr, &RequestExtras::forwarded_for},
    {"X-Real-IP", Field::extra, nullptr, &RequestExtras::real_ip},
    {"Origin", Field::extra, nullptr, &RequestExtras::origin},
    {"X-Visit-Token", Field::column, &AccessRecord::visit_token},
    {"X-BTAA-Client-Name", Field::column, &AccessRecord::client_name},
    {"X-BTAA-Client-Version", Field::column, &AccessRecord::client_version},
    {"X-BTAA-Client-Channel", Field::column, &AccessRecord::client_channel},
    {"X-BTAA-Client-Instance", Field::column, &AccessRecord::client_instance},
};

// The names grouped by size: a key is compared with the names of its own
// size only (a record has a score of attributes, most of them unused).
class NamesBySize {
  public:
    template <std::size_t N>
    explicit NamesBySize(const Name (&names)[N]) {
        for (const Name& name : names) {
            m_by_size.at(name.name.size()).push_back(&name); // a longer name: raise max_size
        }
    }

    const Name* find(std::string_view key, bool ignore_case) const noexcept {
        if (key.size() >= max_size) {
            return nullptr;
        }
        for (const Name* name : m_by_size[key.size()]) {
            if (ignore_case ? iequals(key, name->name) : key == name->name) {
                return name;
            }
        }
        return nullptr;
    }

  private:
    static constexpr std::size_t max_size = 32;
    std::array<std::vector<const Name*>, max_size> m_by_size;
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
    const Name* name = key.substr(0, header_prefix.size()) == header_prefix
                           ? headers.find(key.substr(header_prefix.size()), true)
                           : attributes.find(key, false);
    if (name == nullptr) {
        return;
    }
    switch (name->field) {
    case Field::http_column:
        ++m_http_keys;
        [[fallthrough]];
    case Field::column:
        (r.*name->column).set_or_null(value);
        break;
    case Field::extra:
        (extras.*name->extra).assign(value.data(), value.size());
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
    case Field::status:
        set_number(value, r.status_code, "status_code not an integer in range, stored as NULL",
                   extras);
        break;
    case Field::duration:
        set_number(value, r.response_time, "response_time not an integer in range, stored as NULL",
                   extras);
        break;
    case Field::size:
        set_number(value, r.response_size, "response_size not an integer in range, stored as NULL",
                   extras);
        break;
    case Field::remote_addr:
        m_remote_addr.assign(value.data(), value.size());
        break;
    case Field::roles:
        record::set_roles(r, value); // missing roles are NULL, never [""]
        break;
    case Field::app_path_is_root:
        extras.app_path_is_root = truthy(value);
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
