#include <analytics/config/show.hpp>
#include <analytics/util/conninfo_mask.hpp>

namespace analytics::config {

namespace {

const char* const mask = "********";

nlohmann::ordered_json days_json(const std::optional<int>& days) {
    if (!days) {
        return "forever";
    }
    return *days;
}

nlohmann::ordered_json map_json(const std::map<std::string, std::string>& m) {
    auto j = nlohmann::ordered_json::object();
    for (const auto& [k, v] : m) {
        j[k] = v;
    }
    return j;
}

// Written on one line: values, empty mappings and lists (a list in JSON's
// flow form, valid YAML, even of mappings such as rollup.endpoint_templates).
bool is_scalar_like(const nlohmann::ordered_json& j) {
    return !j.is_object() || j.empty();
}

// Double-quoted JSON strings are valid YAML scalars, so JSON's own escaping is
// used for every value: the output always parses back to the same values.
void emit_yaml(const nlohmann::ordered_json& j, const std::string& path, int indent,
               const std::map<std::string, std::string>& origins, std::string& out) {
    for (const auto& [key, value] : j.items()) {
        const std::string child = path.empty() ? key : path + "." + key;
        out.append(static_cast<std::size_t>(indent), ' ');
        out += nlohmann::ordered_json(key).dump();
        out += ':';
        if (is_scalar_like(value)) {
            out += ' ';
            out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            const auto it = origins.find(child);
            if (it != origins.end()) {
                out += "  # ";
                out += it->second;
            }
            out += '\n';
        } else {
            const auto it = origins.find(child);
            if (it != origins.end()) {
                out += "  # ";
                out += it->second;
            }
            out += '\n';
            emit_yaml(value, child, indent + 2, origins, out);
        }
    }
}

} // namespace

nlohmann::ordered_json to_json(const Config& c) {
    nlohmann::ordered_json j;
    j["title"] = c.title;
    j["timezone"] = c.timezone;
    j["apps_mapping"] = map_json(c.apps_mapping);
    j["support_multiple_dn"] = c.support_multiple_dn;
    j["performance"]["batch_size"] = c.performance.batch_size;
    j["performance"]["load_connections"] = c.performance.load_connections;
    j["data_privacy"]["keys_blacklist"] = c.data_privacy.keys_blacklist;
    j["data_privacy"]["anonymize_ip"] = c.data_privacy.anonymize_ip;
    j["data_privacy"]["secret_keys"] = c.data_privacy.secret_keys;
    j["parsers"]["text_message"]["regex"] = c.parsers.text_message.regex;
    j["parsers"]["text_message"]["response_time_unit"] = c.parsers.text_message.response_time_unit;
    j["parsers"]["opentelemetry"]["text_message_parser"]["enable"] =
        c.parsers.otel_text_message_parser.enable;
    j["parsers"]["opentelemetry"]["text_message_parser"]["regex"] =
        c.parsers.otel_text_message_parser.regex;
    auto& processors = j["app_processors"];
    processors["fallback_on_generic"] = c.app_processors.fallback_on_generic;
    for (const auto& [name, p] : c.app_processors.by_name) {
        processors[name]["infer_is_tiled"] = p.infer_is_tiled;
        processors[name]["infer_is_download"] = p.infer_is_download;
        processors[name]["download_formats"]["vector"] = map_json(p.download_formats.vector);
        processors[name]["download_formats"]["raster"] = map_json(p.download_formats.raster);
    }
    j["metrics"]["enabled"] = c.metrics.enabled;
    j["metrics"]["metrics_file_path"] = c.metrics.metrics_file_path;
    j["metrics"]["pushgateway_url"] = mask_url_password(c.metrics.pushgateway_url);
    j["metrics"]["pushgateway_job"] = c.metrics.pushgateway_job;
    j["metrics"]["pushgateway_timeout"] =
        std::to_string(c.metrics.pushgateway_timeout_seconds) + "s";
    j["metrics"]["georchestra_names"] = c.metrics.georchestra_names;
    auto& db = j["database"];
    db["url"] = mask_password(c.database.url);
    db["host"] = c.database.host;
    db["port"] = c.database.port;
    db["database"] = c.database.name;
    db["username"] = c.database.username;
    db["password"] = c.database.password.empty() ? "" : mask;
    db["schema"] = c.database.schema;
    db["buffer_unlogged"] = c.database.buffer_unlogged;
    j["partitions"]["history_months"] = c.partitions.history_months;
    j["partitions"]["future_months"] = c.partitions.future_months;
    auto& r = j["retention"];
    r["access_logs"] = days_json(c.retention.access_logs);
    r["searches"] = days_json(c.retention.searches);
    r["search_impressions"] = days_json(c.retention.search_impressions);
    r["events"] = days_json(c.retention.events);
    r["hourly_rollups"] = days_json(c.retention.hourly_rollups);
    r["daily_rollups"] = days_json(c.retention.daily_rollups);
    r["monthly_rollups"] = days_json(c.retention.monthly_rollups);
    j["rollup"]["max_days_per_run"] = c.rollup.max_days_per_run;
    j["rollup"]["endpoint_templates"] = nlohmann::ordered_json::array();
    for (const auto& t : c.rollup.endpoint_templates) {
        j["rollup"]["endpoint_templates"].push_back(
            {{"pattern", t.pattern}, {"placeholder", t.placeholder}});
    }
    j["ingest"]["max_reject_ratio"] = c.ingest.max_reject_ratio;
    j["ingest"]["store_message"] = c.ingest.store_message;
    j["ingest"]["earliest"] = c.ingest.earliest;
    j["ingest"]["max_future"] = std::to_string(c.ingest.max_future_seconds) + "s";
    j["user_agent"]["regexes_file"] = c.user_agent.regexes_file;
    j["geoip"]["database"] = c.geoip.database;
    return j;
}

std::string to_yaml(const Config& config) {
    std::string out = "# effective configuration; file: ";
    out += config.source_file.empty() ? "none (defaults)" : config.source_file;
    out += "\n# a comment after a value says where it was set; others are defaults\n";
    emit_yaml(to_json(config), "", 0, config.origins, out);
    return out;
}

} // namespace analytics::config
