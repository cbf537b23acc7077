#pragma once

// The effective configuration: built-in defaults, then the YAML file, then
// the environment overrides named in SPEC §5. Keys of the old geOrchestra
// analytics_cli.yaml keep their meaning.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace analytics::config {

// Output-format labels for download detection, keyed by lower-case format.
struct DownloadFormats {
    std::map<std::string, std::string> vector;
    std::map<std::string, std::string> raster;
};

struct AppProcessor {
    bool infer_is_tiled = false;
    bool infer_is_download = false;
    DownloadFormats download_formats;
};

struct Database {
    std::string url; // conninfo string or URI; wins over the parts below
    std::string host;
    std::string port;
    std::string name; // key 'database' in the file
    std::string username;
    std::string password; // secret: masked by 'config show', never logged
    std::string schema = "analytics";
    // geOrchestra's UNLOGGED opentelemetry_buffer: faster inserts, but a
    // PostgreSQL crash empties it. Applied by 'analytics migrate'.
    bool buffer_unlogged = false;
};

// Retention in days; std::nullopt keeps data forever.
struct Retention {
    std::optional<int> access_logs = 30;
    std::optional<int> searches = 90;
    std::optional<int> search_impressions = 30;
    std::optional<int> events = 90;
    std::optional<int> hourly_rollups = 21;
    std::optional<int> daily_rollups = 730;
    std::optional<int> monthly_rollups;
};

struct Config {
    std::string title;
    std::string timezone = "UTC";
    std::map<std::string, std::string> apps_mapping;
    bool support_multiple_dn = false;

    struct Performance {
        int batch_size = 10000;
        // ingest: connections that write batches in parallel (commits keep
        // the input order).
        int load_connections = 2;
    } performance;

    struct DataPrivacy {
        std::vector<std::string> keys_blacklist{"user_id", "user_name", "client_ip"};
        bool anonymize_ip = false;
        // Query keys and event properties whose values are secrets, beyond the
        // built-in list (util/privacy.hpp): removed with their values.
        std::vector<std::string> secret_keys;
    } data_privacy;

    struct Parsers {
        struct TextMessage {
            std::string regex;
            std::string response_time_unit = "ms";
        } text_message;

        // geOrchestra's parser of an OTel record's message (Netty access-log
        // lines merged into gateway records): parse/otel_message.hpp.
        struct OtelTextMessageParser {
            bool enable = false;
            std::string regex;

            // The pattern to apply, empty when disabled.
            std::string active_regex() const { return enable ? regex : std::string{}; }
        } otel_text_message_parser;
    } parsers;

    struct AppProcessors {
        bool fallback_on_generic = false;
        std::map<std::string, AppProcessor> by_name;
    } app_processors;

    struct Metrics {
        bool enabled = false;
        std::string metrics_file_path;
        // Pushed to <url>/metrics/job/<job>/instance/<command> before the
        // textfile is written (util/pushgateway).
        std::string pushgateway_url;
        std::string pushgateway_job = "analytics-cli"; // geOrchestra's job name
        int pushgateway_timeout_seconds = 10;
        // Also geOrchestra's job_duration_seconds and job_last_success_unixtime.
        bool georchestra_names = false;
    } metrics;

    Database database;

    // From geOrchestra's logging.root.level: -1 as -q, 1 as -v, 2 as -vv, 0
    // the default; applies when the command line sets none of them.
    std::optional<int> log_verbosity;

    struct Partitions {
        int history_months = 2;
        int future_months = 2;
    } partitions;

    Retention retention;

    // A request path's variable part replaced before API and access rollups
    // group by it (PostgreSQL regular expression; the placeholder may name
    // its groups as \1), so that a rollup has a row per endpoint, not per
    // tile or id. Applied in order, every match.
    struct EndpointTemplate {
        std::string pattern;
        std::string placeholder;
    };

    struct Rollup {
        int max_days_per_run = 31;
        std::vector<EndpointTemplate> endpoint_templates{
            {R"([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})",
             "{uuid}"},
            {R"(/(?:[^/]*:)?[0-9]+/[0-9]+/[0-9]+(\.[A-Za-z0-9]+)?$)", R"(/{z}/{x}/{y}\1)"},
            {R"(/[0-9]+(?=/|$|\.[A-Za-z]))", "/{id}"},
            {R"(/[0-9A-Fa-f]{16,}(?=/|$|\.[A-Za-z]))", "/{hash}"},
        };
    } rollup;

    struct Ingest {
        double max_reject_ratio = 0.01;
        bool store_message = false;
        // The accepted time window: rows before `earliest` (YYYY-MM-DD, UTC
        // midnight) or more than `max_future_seconds` after now are rejected.
        std::string earliest = "2000-01-01";
        std::int64_t max_future_seconds = 86'400;
    } ingest;

    struct UserAgent {
        std::string regexes_file = "/usr/share/uap-core/regexes.yaml";
    } user_agent;

    // Countries (optional): a MaxMind-format country database (GeoLite2-Country,
    // DB-IP Lite country); empty: no country_code (enrich/geoip.hpp).
    struct GeoIp {
        std::string database;
    } geoip;

    // Where each non-default value came from ("file.yaml:12", "env NAME"),
    // keyed by dotted key path; used by 'config show'.
    std::map<std::string, std::string> origins;
    // The file that was read, empty when only defaults apply.
    std::string source_file;
    // Keys that were accepted for compatibility but have no effect.
    std::vector<std::string> ignored_keys;
    // Values accepted in an old spelling, each naming its key and file line.
    std::vector<std::string> warnings;
};

// The default regex for the 'regex' text format (the old tool's default).
extern const char* const default_text_regex;

// Returns the built-in defaults.
Config defaults();

} // namespace analytics::config
