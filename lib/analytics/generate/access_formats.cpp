#include <analytics/generate/access_formats.hpp>
#include <analytics/time/civil_day.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/hash.hpp>
#include <analytics/util/json_text.hpp>

#include <cstdio>

namespace analytics::generate {

namespace {

void append_clf_time(std::string& out, std::int64_t utc_us, const time::LocalZone& zone) {
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::int64_t local_us = zone.to_local(utc_us);
    const std::int64_t offset_minutes = (local_us - utc_us) / 60000000;
    const std::int64_t seconds = local_us / 1000000 - (local_us % 1000000 < 0 ? 1 : 0);
    std::int64_t days = seconds / 86400 - (seconds % 86400 < 0 ? 1 : 0);
    const std::int64_t in_day = seconds - days * 86400;
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    time::civil_from_days(days, year, month, day);
    const std::int64_t magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    char text[64];
    std::snprintf(text, sizeof text, "[%02u/%s/%04d:%02d:%02d:%02d %c%02d%02d]", day,
                  months[month - 1], year, static_cast<int>(in_day / 3600),
                  static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60),
                  offset_minutes < 0 ? '-' : '+', static_cast<int>(magnitude / 60),
                  static_cast<int>(magnitude % 60));
    out += text;
}

void append_request_line(std::string& out, const SyntheticRequest& r) {
    out += " \"";
    out += r.method;
    out += ' ';
    out += r.path;
    if (!r.query.empty()) {
        out += '?';
        out += r.query;
    }
    out += " HTTP/1.1\" ";
    append_int(out, r.status);
    out += ' ';
    if (r.size < 0) {
        out += '-';
    } else {
        append_int(out, r.size);
    }
}

void append_quoted(std::string& out, std::string_view value) {
    out += " \"";
    out += value.empty() ? "-" : value;
    out += '"';
}

// A stable id for a request: spans and traces look like the gateway's.
void append_hex(std::string& out, std::uint64_t value, int digits) {
    static constexpr char hex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; --i) {
        out += hex[(value >> (4 * (i % 16))) & 15];
    }
}

// A UUID-shaped stable identifier of a name (users, organisations, sessions).
std::string uuid_of(std::string_view name) {
    std::string hex;
    append_hex(hex, hash64(name), 16);
    append_hex(hex, hash64(name, 1), 16);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(13, 3) + "-a" +
           hex.substr(17, 3) + "-" + hex.substr(20, 12);
}

void append_member(std::string& out, std::string_view key, std::string_view value) {
    out += ',';
    append_json_string(out, key);
    out += ':';
    append_json_string(out, value);
}

} // namespace

bool access_format_from_name(std::string_view name, AccessFormat& out) noexcept {
    static constexpr std::pair<std::string_view, AccessFormat> names[] = {
        {"common", AccessFormat::common},
        {"combined", AccessFormat::combined},
        {"georchestra", AccessFormat::georchestra},
        {"regex", AccessFormat::regex},
        {"otel", AccessFormat::otel}};
    for (const auto& [n, f] : names) {
        if (n == name) {
            out = f;
            return true;
        }
    }
    return false;
}

bool append_access_line(AccessFormat format, const SyntheticRequest& r, const time::LocalZone& zone,
                        std::string& out) {
    if (format == AccessFormat::otel) {
        out += "{\"timestamp\":";
        append_json_string(out, time::format_iso_utc(r.ts_us));
        const std::uint64_t id =
            hash64(std::string_view(reinterpret_cast<const char*>(&r.serial), sizeof r.serial));
        out += ",\"span_id\":\"";
        append_hex(out, id, 16);
        out += "\",\"trace_id\":\"";
        append_hex(out, hash64(std::to_string(r.serial) + r.client_ip), 16);
        append_hex(out, id, 16);
        out += "\",\"message\":\"\",\"source_type\":\"opentelemetry\",\"severity_text\":\"INFO\","
               "\"severity_number\":9,\"flags\":0,\"dropped_attributes_count\":0,"
               "\"observed_timestamp\":";
        append_json_string(out, time::format_iso_utc(r.ts_us + 2000));
        out += ",\"scope\":{\"name\":\"org.georchestra.gateway.accesslog\"},"
               "\"resources\":{\"service.name\":\"gateway\",\"host.name\":\"gateway-7d9f8c6b5-"
               "x2k4p\",\"process.runtime.name\":\"OpenJDK Runtime Environment\","
               "\"process.runtime.version\":\"21.0.5+11-LTS\",\"telemetry.sdk.language\":"
               "\"java\",\"telemetry.sdk.name\":\"opentelemetry\",\"telemetry.sdk.version\":"
               "\"1.44.1\"},"
               "\"attributes\":{\"http.request.method\":";
        append_json_string(out, r.method);
        if (r.user != nullptr) {
            append_member(out, "enduser.auth-method",
                          "GeorchestraUserNamePasswordAuthenticationToken");
            append_member(out, "enduser.id", r.user->name);
            append_member(out, "enduser.org.id", r.user->org_id);
            append_member(out, "enduser.org.fullname", r.user->org_name);
            append_member(out, "enduser.roles", r.user->roles);
            append_member(out, "enduser.uuid", uuid_of(r.user->name));
            append_member(out, "enduser.org.uuid", uuid_of(r.user->org_id));
        }
        append_member(out, "http.request.header.User-Agent", r.user_agent);
        append_member(out, "http.request.header.Accept-Language", "fr-FR,fr;q=0.9,en;q=0.8");
        append_member(out, "http.request.id", std::to_string(r.serial));
        if (!r.referrer.empty()) { // browsers: the portal's session and analytics cookies
            std::string cookie = "JSESSIONID=" + uuid_of(r.client_ip) + "; _pk_id.1." +
                                 std::to_string(r.client_ip.size()) + "=" + uuid_of(r.user_agent);
            if (r.user != nullptr) {
                cookie += "; SESSION=" + uuid_of(r.user->name + r.client_ip);
            }
            append_member(out, "http.request.header.Cookie", cookie);
        }
        if (!r.referrer.empty()) {
            append_member(out, "http.request.header.Referer", r.referrer);
        }
        for (const auto& [key, value] : r.parameters) {
            append_member(out, "http.request.parameter." + key, value);
        }
        append_member(out, "http.request.path", r.path);
        if (!r.query.empty()) {
            append_member(out, "http.request.query-string", r.query);
        }
        append_member(out, "http.request.remote-addr",
                      r.client_ip + "/<unresolved>:" + std::to_string(32768 + r.serial % 28000));
        append_member(out, "server.address", r.server_address);
        append_member(out, "application.name", "gateway");
        append_member(out, "application.version", "2.0.0");
        append_member(out, "http.status_code", std::to_string(r.status));
        char duration[32];
        std::snprintf(duration, sizeof duration, "%.1f", r.response_ms);
        out += ",\"http.response.duration_ms\":";
        out += duration;
        if (r.size >= 0) {
            out += ",\"http.response.body.size_bytes\":";
            append_int(out, r.size);
        }
        out += "}}\n";
        return true;
    }

    if (format == AccessFormat::regex && r.path.find('/', 1) == std::string::npos) {
        return false;
    }
    out += r.client_ip;
    out += " - ";
    if (r.user == nullptr) {
        out += '-';
    } else if (format == AccessFormat::georchestra || format == AccessFormat::regex) {
        out += r.user->name + "|" + r.user->org_id + "|" + r.user->roles;
    } else {
        out += r.user->name;
    }
    out += ' ';
    append_clf_time(out, r.ts_us, zone);
    append_request_line(out, r);
    if (format == AccessFormat::combined || format == AccessFormat::georchestra) {
        append_quoted(out, r.referrer);
        append_quoted(out, r.user_agent);
    }
    if (format == AccessFormat::georchestra) {
        out += " -";
        append_quoted(out, r.app);
        out += " \"-\" ";
        append_int(out, static_cast<std::int64_t>(r.response_ms + 0.5));
        out += "ms";
    }
    out += '\n';
    return true;
}

void append_otlp_line(const SyntheticRequest* requests, std::size_t count, std::string& out) {
    // {"key":K,"value":{"stringValue":V}}, or intValue as OTLP/JSON writes it (a string).
    auto typed_attribute = [&out](bool& first, std::string_view key, std::string_view type,
                                  std::string_view value) {
        out += first ? "{\"key\":" : ",{\"key\":";
        first = false;
        append_json_string(out, key);
        out += ",\"value\":{\"";
        out += type;
        out += "\":";
        append_json_string(out, value);
        out += "}}";
    };
    auto attribute = [&](bool& first, std::string_view key, std::string_view value) {
        typed_attribute(first, key, "stringValue", value);
    };
    auto int_attribute = [&](bool& first, std::string_view key, std::int64_t value) {
        typed_attribute(first, key, "intValue", std::to_string(value));
    };
    out += "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
           "\"value\":{\"stringValue\":\"gateway\"}}]},\"scopeLogs\":[{\"scope\":{\"name\":"
           "\"org.georchestra.gateway.accesslog\"},\"logRecords\":[";
    for (std::size_t i = 0; i < count; ++i) {
        const SyntheticRequest& r = requests[i];
        out += i == 0 ? "{" : ",{";
        out += "\"timeUnixNano\":\"";
        append_int(out, r.ts_us * 1000);
        out += "\",\"observedTimeUnixNano\":\"";
        append_int(out, (r.ts_us + 2000) * 1000);
        out += "\",\"spanId\":\"";
        append_hex(out, hash64(std::to_string(r.serial)), 16);
        out += "\",\"body\":{\"stringValue\":";
        append_json_string(out, r.method + " " + r.path);
        out += "},\"attributes\":[";
        bool first = true;
        attribute(first, "http.request.method", r.method);
        attribute(first, "url.path", r.path);
        if (!r.query.empty()) {
            attribute(first, "url.query", r.query);
        }
        int_attribute(first, "http.response.status_code", r.status);
        if (r.size >= 0) {
            int_attribute(first, "http.response.body.size", r.size);
        }
        out += ",{\"key\":\"http.response.duration_ms\",\"value\":{\"doubleValue\":";
        char duration[32];
        std::snprintf(duration, sizeof duration, "%.1f", r.response_ms);
        out += duration;
        out += "}}";
        attribute(first, "client.address", r.client_ip);
        attribute(first, "server.address", r.server_address);
        attribute(first, "user_agent.original", r.user_agent);
        if (!r.referrer.empty()) {
            attribute(first, "http.request.header.referer", r.referrer);
        }
        if (r.user != nullptr) {
            attribute(first, "enduser.id", r.user->name);
            attribute(first, "enduser.org.id", r.user->org_id);
            attribute(first, "enduser.roles", r.user->roles);
        }
        out += "]}";
    }
    out += "]}]}]}\n";
}

} // namespace analytics::generate
