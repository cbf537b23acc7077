#include <analytics/enrich/enricher.hpp>
#include <analytics/record/text_widths.hpp>
#include <analytics/util/byte_scan.hpp>
#include <analytics/util/privacy.hpp>
#include <analytics/util/text.hpp>
#include <analytics/util/url.hpp>

#include <cctype>
#include <cstring>

namespace analytics::enrich {

using record::AccessRecord;
using record::JsonObject;

std::string app_path_of(std::string_view request_path) {
    std::size_t begin = 0;
    while (begin < request_path.size() && request_path[begin] == '/') {
        ++begin;
    }
    const std::size_t end = request_path.find('/', begin);
    const std::string_view segment =
        request_path.substr(begin, end == std::string_view::npos ? end : end - begin);
    if (segment.empty()) {
        return "/";
    }
    std::string out = "/";
    out.append(segment.data(), segment.size());
    out.push_back('/');
    return out;
}

std::string normalize_app_path(std::string_view app_path) {
    std::string_view s = trim(app_path);
    while (!s.empty() && s.front() == '/') {
        s.remove_prefix(1);
    }
    while (!s.empty() && s.back() == '/') {
        s.remove_suffix(1);
    }
    if (s.empty()) {
        return "/";
    }
    std::string out = "/";
    out.append(s.data(), s.size());
    out.push_back('/');
    to_lower_ascii(out);
    return out;
}

std::string anonymize_ip(std::string_view ip) {
    if (ip.find(':') == std::string_view::npos) {
        const std::size_t last_dot = ip.rfind('.');
        if (last_dot == std::string_view::npos) {
            return std::string(ip);
        }
        return std::string(ip.substr(0, last_dot)) + ".0";
    }
    // IPv6: keep the first three groups (/48), expanding a leading "::".
    std::string out;
    std::size_t groups = 0;
    std::size_t pos = 0;
    while (groups < 3 && pos < ip.size()) {
        const std::size_t end = ip.find(':', pos);
        const std::string_view group =
            ip.substr(pos, end == std::string_view::npos ? end : end - pos);
        if (group.empty()) {
            break; // "::" — the remaining groups are zero
        }
        out.append(group.data(), group.size());
        out.push_back(':');
        ++groups;
        if (end == std::string_view::npos) {
            break;
        }
        pos = end + 1;
    }
    out.push_back(':');
    return out;
}

namespace {

// A query-string key or value: percent- and plus-decoded, lower-cased, and
// valid UTF-8 (decoding may produce any bytes). False when there was nothing
// to decode (out is raw lower-cased).
bool decode_component(std::string_view raw, std::string& out) {
    if (find_either(raw, 0, '%', '+') == raw.size()) {
        assign_lower_ascii(out, raw); // the common case: nothing to decode
        return false;
    }
    percent_decode(raw, out, true);
    to_lower_ascii(out);
    if (!is_valid_utf8(out)) {
        std::string repaired;
        repair_utf8(out, repaired);
        out.swap(repaired);
    }
    return true;
}

} // namespace

Enricher::Enricher(const config::Config& config, UserAgentParser* user_agents)
    : m_config(config), m_user_agents(user_agents) {
    for (const auto& [key, name] : config.apps_mapping) {
        std::string normalized = key;
        if (normalized.find('/') == std::string::npos) {
            normalized = "/" + normalized + "/";
        } else if (normalized.front() == '/' && normalized.back() != '/') {
            normalized.push_back('/');
        }
        m_apps_mapping[normalized] = name;
    }
    for (const std::string& key : config.data_privacy.keys_blacklist) {
        if (config.data_privacy.anonymize_ip && key == "client_ip") {
            continue; // truncated instead of removed (apply_privacy)
        }
        if (const auto column = record::text_column_member(key)) {
            m_blacklisted_columns.push_back(column);
        } else if (key == "roles") {
            m_blacklisted_roles = true;
        } else {
            m_blacklisted_parameters.push_back(key);
        }
    }
    // Each processor's app_processors block, looked up once.
    const auto& by_name = config.app_processors.by_name;
    for (std::size_t i = 0; i < m_processor_settings.size(); ++i) {
        const auto processor = static_cast<Processor>(i);
        auto settings = by_name.find(processor_name(processor));
        if (settings == by_name.end() && processor == Processor::dataapi) {
            settings = by_name.find("datapi");
        }
        m_processor_settings[i] =
            settings == by_name.end() ? &m_default_processor : &settings->second;
    }
}

void Enricher::set_extras(std::vector<std::pair<std::string, std::string>> extras) {
    m_extras = std::move(extras);
}

QueryScan add_query_parameters(std::string_view query, JsonObject& details) {
    QueryScan scan;
    for_each_query_pair(query, [&](std::string_view raw_key, std::string_view raw_value) {
        // Decoded straight into the entry a kept parameter becomes.
        JsonObject::Entry& entry = details.spare();
        const bool key_decoded = decode_component(raw_key, entry.key);
        std::string& key = entry.key;
        if (is_secret_name(key)) {
            scan.has_secret = true;
            return;
        }
        // A key or value may carry a key=value of its own (a proxy's url=
        // is an address with a query string), and secrets with it. A key
        // holds an '=' only decoded: the first one ends it.
        const auto redact_nested = [&scan](std::string& text) {
            if (std::memchr(text.data(), '=', text.size()) != nullptr) {
                scan.may_nest = true;
                if (may_name_a_secret(text)) {
                    redact_secrets(text);
                }
            }
        };
        if (key_decoded) {
            redact_nested(key);
        }
        if (raw_value.empty() || key.empty() || details.find(key) != nullptr) {
            // Not kept (blank values dropped, the first value kept, as
            // parse_qs does): the query string may still hold its secrets.
            scan.may_nest = scan.may_nest || may_hold_assignment(raw_value);
            return;
        }
        if (details.size() >= max_request_parameters || key.size() > max_request_parameter_name) {
            scan.may_nest = scan.may_nest || may_hold_assignment(raw_value);
            ++scan.not_kept;
            return;
        }
        std::string& value = entry.text;
        decode_component(raw_value, value);
        redact_nested(value);
        if (cut_utf8(value, max_request_parameter_value)) {
            ++scan.values_cut;
        }
        details.append_spare(JsonObject::Kind::string);
    });
    return scan;
}

void Enricher::derive_request(AccessRecord& record, record::RequestExtras& extras,
                              EnrichWarnings& warnings) {
    if (record.request_path.is_null() && !extras.target.empty()) {
        const UrlParts url = split_url(extras.target);
        record.request_path.set(url.path);
        if (record.request_query_string.is_null() && !url.query.empty()) {
            record.request_query_string.set(url.query);
        }
        if (record.server_address.is_null() && !url.host.empty()) {
            record.server_address.set(url.host);
        }
    }
    if (record.request_path.has_value()) {
        to_lower_ascii(record.request_path.mutable_value());
    }
    if (record.server_address.has_value()) {
        to_lower_ascii(record.server_address.mutable_value());
    }
    JsonObject& details = record.request_details;
    const std::string_view query = record.request_query_string.view();
    bool has_secret = false;
    bool values_may_nest = false; // a raw value may hold a key=value
    if (extras.explicit_params) {
        // Keys were lower-cased by the parser; values are lower-cased here
        // as the query-string path does, so both paths group alike.
        for (const auto& entry : details) {
            has_secret = has_secret || is_secret_name(entry.key);
        }
        for (auto& entry : details) {
            if (entry.kind == JsonObject::Kind::string) {
                to_lower_ascii(entry.text);
                if (may_hold_assignment(entry.text) && may_name_a_secret(entry.text)) {
                    redact_secrets(entry.text); // an address with secrets of its own
                }
                if (cut_utf8(entry.text, max_request_parameter_value)) {
                    warnings.add(parameter_values_cut);
                }
            }
        }
        if (details.size() > max_request_parameters) {
            warnings.add(parameters_not_kept);
            details.truncate(max_request_parameters);
        }
    } else if (!query.empty()) {
        const QueryScan scan = add_query_parameters(query, details);
        has_secret = scan.has_secret;
        values_may_nest = scan.may_nest;
        if (scan.not_kept > 0) {
            warnings.add(parameters_not_kept);
        }
        if (scan.values_cut > 0) {
            warnings.add(parameter_values_cut);
        }
    }
    if (has_secret) {
        for (std::size_t i = details.size(); i-- > 0;) {
            if (is_secret_name(details.begin()[i].key)) {
                details.erase(std::string(details.begin()[i].key));
            }
        }
    }
    if (record.request_query_string.has_value()) {
        std::string& qs = record.request_query_string.mutable_value();
        to_lower_ascii(qs);
        // The query-string path above decoded and checked every key and
        // value; explicit parameters leave the query string unchecked.
        const bool check =
            has_secret || values_may_nest || (extras.explicit_params && may_name_a_secret(qs));
        if (check && scrub_query_string(qs, m_scratch) && qs.empty()) {
            record.request_query_string.reset();
        }
    }

    // UTM parameters are columns, not details.
    struct Utm {
        std::string_view key;
        record::Nullable AccessRecord::*column;
    };

    static constexpr Utm utms[] = {{"utm_source", &AccessRecord::utm_source},
                                   {"utm_medium", &AccessRecord::utm_medium},
                                   {"utm_term", &AccessRecord::utm_term},
                                   {"utm_content", &AccessRecord::utm_content},
                                   {"utm_campaign", &AccessRecord::utm_campaign}};
    for (const auto& utm : utms) {
        if (const std::string* value = details.find_string(utm.key)) {
            (record.*utm.column).set_or_null(truncate_utf8(*value, record::text_width_of(utm.key)));
            details.erase(utm.key);
        }
    }
}

void Enricher::derive_user(AccessRecord& record, const record::RequestExtras& extras) {
    const std::string_view user = trim(extras.user_field);
    if (user.empty() || user == "-") {
        return;
    }
    // "name|org|ROLE_A,ROLE_B": three parts; anything else is a plain name.
    const std::size_t bar1 = user.find('|');
    const std::size_t bar2 = bar1 == std::string_view::npos ? bar1 : user.find('|', bar1 + 1);
    const bool three_parts =
        bar2 != std::string_view::npos && user.find('|', bar2 + 1) == std::string_view::npos;
    if (!three_parts) {
        record.user_id.set(user);
        record.user_name.set(user);
        return;
    }
    const std::string_view name = user.substr(0, bar1);
    const std::string_view org = user.substr(bar1 + 1, bar2 - bar1 - 1);
    const std::string_view roles = user.substr(bar2 + 1);
    record.user_id.set_or_null(name);
    record.user_name.set_or_null(name);
    record.org_id.set_or_null(org);
    record.org_name.set_or_null(org);
    record::set_roles(record, roles);
}

void Enricher::derive_application(AccessRecord& record, record::RequestExtras& extras,
                                  EnrichWarnings& warnings) {
    std::string app_path;
    if (extras.app_path_is_root) {
        app_path = "/";
    } else if (!extras.app_path.empty()) {
        app_path = normalize_app_path(extras.app_path);
    } else {
        app_path = app_path_of(record.request_path.view());
    }
    std::string app_id = extras.app_id;
    if (app_id.empty()) {
        if (m_config.support_multiple_dn) {
            if (record.server_address.has_value()) {
                app_id = record.server_address.value() + app_path;
            } else {
                warnings.add("no server address for a multi-domain app id");
                app_id = app_path;
            }
        } else {
            app_id = app_path;
        }
    }
    std::string app_name;
    const auto mapped = m_apps_mapping.find(app_id);
    if (mapped != m_apps_mapping.end()) {
        app_name = mapped->second;
    } else {
        std::string_view stripped = app_id;
        while (!stripped.empty() && stripped.front() == '/') {
            stripped.remove_prefix(1);
        }
        while (!stripped.empty() && stripped.back() == '/') {
            stripped.remove_suffix(1);
        }
        app_name = std::string(stripped);
    }
    record.app_path.set(app_path);
    record.app_id.set(app_id);
    record.app_name.set_or_null(app_name);

    Processor processor = Processor::ogcserver;
    if (!processor_from_name(app_name, processor)) {
        processor =
            m_config.app_processors.fallback_on_generic ? Processor::generic : Processor::ogcserver;
    }
    OgcWarnings ogc_warnings;
    classify(processor, *m_processor_settings[static_cast<std::size_t>(processor)],
             OgcRequest{record.request_path.view(), app_path}, record.request_details,
             ogc_warnings);
    if (ogc_warnings.layer_with_several_colons) {
        warnings.add("layer name with several ':'");
    }
}

void Enricher::derive_user_agent(AccessRecord& record) {
    if (m_user_agents == nullptr || record.user_agent.is_null() ||
        record.user_agent.value() == "-") {
        if (record.user_agent.view() == "-") {
            record.user_agent.reset();
        }
        return;
    }
    const UserAgentInfo& info = m_user_agents->enrich(record.user_agent.value());
    record.user_agent_family.set_or_null(info.family);
    record.user_agent_version.set_or_null(info.version);
    record.os_family.set_or_null(info.os_family);
    record.os_version.set_or_null(info.os_version);
    record.device_family.set_or_null(info.device_family);
    record.device_brand.set_or_null(info.device_brand);
    record.device_model.set_or_null(info.device_model);
    record.device_type.set_or_null(info.device_type);
}

void Enricher::derive_referrer(AccessRecord& record, const record::RequestExtras& extras) {
    if (record.referrer.view() == "-") {
        record.referrer.reset();
    }
    std::string domain; // the referrer's host[:port], lower-cased
    if (record.referrer.has_value()) {
        const UrlParts url = split_url(record.referrer.value());
        domain.assign(url.netloc.data(), url.netloc.size());
        to_lower_ascii(domain);
        record.referring_domain.set_or_null(
            truncate_utf8(domain, record::text_width_of("referring_domain")));
        // The referrer's own query string follows the request's rules: a
        // token in the page address is as secret as one in the request.
        scrub_url(record.referrer.mutable_value(), url, m_scratch);
    }
    if (record.source_host.is_null()) {
        // The Origin header's host, else the referrer's.
        std::string host;
        if (!extras.origin.empty() && extras.origin != "null") {
            const std::string_view netloc = split_url(extras.origin).netloc;
            host.assign(netloc.data(), netloc.size());
            to_lower_ascii(host);
        }
        const std::string& chosen = host.empty() ? domain : host;
        if (!chosen.empty()) {
            record.source_host.set(truncate_utf8(chosen, record::text_width_of("source_host")));
        }
    }
}

void Enricher::apply_privacy(AccessRecord& record) {
    for (const auto column : m_blacklisted_columns) {
        (record.*column).reset();
    }
    if (m_blacklisted_roles) {
        record.roles.reset();
    }
    for (const std::string& key : m_blacklisted_parameters) {
        record.request_details.erase(key);
    }
    if (m_config.data_privacy.anonymize_ip && record.client_ip.has_value()) {
        record.client_ip.set(anonymize_ip(record.client_ip.value()));
    }
}

namespace {

// A value longer than its column's width in bytes, cut on a character
// boundary when it has more characters than that, with a warning.
[[gnu::noinline]] void cut_to_width(std::string_view column, record::Nullable& field,
                                    std::size_t width, EnrichWarnings& warnings) {
    if (cut_utf8(field.mutable_value(), width)) {
        warnings.add("over-long " + std::string(column) + " cut to " + std::to_string(width) +
                     " characters");
    }
}

} // namespace

void Enricher::clamp_values(AccessRecord& record, EnrichWarnings& warnings) {
    if (!record.status_code.null &&
        (record.status_code.value < 100 || record.status_code.value > 599)) {
        warnings.add("status code out of range 100-599, stored as NULL");
        record.status_code.reset();
    }
    if (!record.response_size.null && record.response_size.value < 0) {
        warnings.add("negative response size, stored as NULL");
        record.response_size.reset();
    }
    if (!record.response_time.null && record.response_time.value < 0) {
        warnings.add("negative response time, stored as NULL");
        record.response_time.reset();
    }

    // Every text column has a width (text_widths.hpp): longer values are cut
    // on a character boundary, counted per column.
    // The test inline (dozens of columns a record), the cut out of line.
    record::for_each_text_column(
        record, [&](std::string_view column, record::Nullable& field, std::size_t width) {
            if (field.has_value() && field.value().size() > width) {
                cut_to_width(column, field, width, warnings);
            }
        });
    if (!record.roles.null) {
        std::vector<std::string>& roles = record.roles.items;
        if (roles.size() > record::max_roles) {
            roles.resize(record::max_roles);
            warnings.add("more than " + std::to_string(record::max_roles) +
                         " roles: the rest not kept");
        }
        for (std::string& role : roles) {
            cut_utf8(role, record::max_role_width);
        }
    }
}

void Enricher::enrich(AccessRecord& record, record::RequestExtras& extras,
                      EnrichWarnings& warnings) {
    for (const auto& [key, value] : m_extras) {
        if (key == "app_path") {
            extras.app_path = value;
            extras.app_path_is_root = normalize_app_path(value) == "/";
        } else if (key == "app_id") {
            extras.app_id = value;
        } else {
            record::set_column(record, key, value);
        }
    }
    for (const char* reason : extras.null_reasons) {
        warnings.add(reason);
    }
    derive_request(record, extras, warnings);
    derive_user(record, extras);
    // The client is the first X-Forwarded-For hop, else X-Real-IP, else the
    // peer address (spoofable, like every proxy header; see the README).
    if (!extras.forwarded_for.empty()) {
        const std::string_view first =
            trim(std::string_view(extras.forwarded_for).substr(0, extras.forwarded_for.find(',')));
        if (!first.empty()) {
            record.client_ip.set(first);
        }
    } else if (!extras.real_ip.empty()) {
        record.client_ip.set(trim(extras.real_ip));
    }
    if (record.client_ip.view() == "-") {
        record.client_ip.reset();
    }
    derive_application(record, extras, warnings);
    derive_user_agent(record);
    derive_referrer(record, extras);
    if (record.message.has_value()) {
        if (m_config.ingest.store_message) {
            redact_secrets(record.message.mutable_value());
        } else {
            record.message.reset(); // before clamping: no warning for what is not stored
        }
    }
    clamp_values(record, warnings);
    if (m_visitor_keys != nullptr) {
        m_visitor_keys->assign(record); // before the address goes
    }
    if (m_countries != nullptr) {
        m_countries->assign(record); // likewise
    }
    apply_privacy(record);
}

} // namespace analytics::enrich
