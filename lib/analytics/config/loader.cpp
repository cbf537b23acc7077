#include <analytics/config/loader.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/privacy.hpp>

#include <date/tz.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <sys/stat.h>

namespace analytics::config {

namespace {

bool file_exists(const std::string& path) {
    struct stat st {};

    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::optional<long long> parse_integer(const std::string& s) {
    long long value = 0;
    const char* begin = s.data();
    const char* end = s.data() + s.size();
    if (begin != end && *begin == '+') {
        ++begin;
    }
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc{} || ptr != end || begin == end) {
        return std::nullopt;
    }
    return value;
}

std::optional<bool> parse_bool(const std::string& s) {
    static const char* const yes[] = {"true", "True", "TRUE", "yes", "Yes", "on", "On", "1"};
    static const char* const no[] = {"false", "False", "FALSE", "no", "No", "off", "Off", "0"};
    for (const char* y : yes) {
        if (s == y) {
            return true;
        }
    }
    for (const char* n : no) {
        if (s == n) {
            return false;
        }
    }
    return std::nullopt;
}

// Walks the YAML tree of one file, checking every key and type.
class FileReader {
  public:
    FileReader(std::string file, const EnvLookup& env, Config& config)
        : m_file(std::move(file)), m_env(env), m_config(config) {}

    void read_root(const YAML::Node& root) {
        if (root.IsNull()) {
            return; // an empty file is a valid, empty configuration
        }
        for_each_key(
            root, "",
            [&](const std::string& key, const std::string& path, const YAML::Node& value) {
                if (key == "title") {
                    m_config.title = string(value, path);
                } else if (key == "timezone") {
                    m_config.timezone = string(value, path);
                } else if (key == "apps_mapping") {
                    merge_map(value, path, m_config.apps_mapping);
                } else if (key == "support_multiple_dn") {
                    m_config.support_multiple_dn = boolean(value, path);
                } else if (key == "performance") {
                    read_performance(value, path);
                } else if (key == "data_privacy") {
                    read_data_privacy(value, path);
                } else if (key == "parsers") {
                    read_parsers(value, path);
                } else if (key == "app_processors") {
                    read_app_processors(value, path);
                } else if (key == "metrics") {
                    read_metrics(value, path);
                } else if (key == "database") {
                    read_database(value, path);
                } else if (key == "partitions") {
                    read_partitions(value, path);
                } else if (key == "retention") {
                    read_retention(value, path);
                } else if (key == "rollup") {
                    for_each_key(
                        value, path,
                        [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                            if (k == "max_days_per_run") {
                                m_config.rollup.max_days_per_run = integer(v, p, 1, 36600);
                            } else if (k == "endpoint_templates") {
                                read_endpoint_templates(v, p);
                            } else {
                                return false;
                            }
                            return true;
                        });
                } else if (key == "ingest") {
                    read_ingest(value, path);
                } else if (key == "user_agent") {
                    read_one_string(value, path, "regexes_file", m_config.user_agent.regexes_file);
                } else if (key == "geoip") {
                    read_one_string(value, path, "database", m_config.geoip.database);
                } else if (key == "logging") {
                    // The old tool's Python dictConfig: its root level becomes -v or -q.
                    m_config.log_verbosity =
                        verbosity_of_python_logging_config(value, path, m_config.ignored_keys);
                } else {
                    return false;
                }
                return true;
            });
    }

  private:
    using KeyHandler =
        std::function<bool(const std::string&, const std::string&, const YAML::Node&)>;

    std::string where(const YAML::Node& node) const {
        const auto mark = node.Mark();
        if (mark.line < 0) {
            return m_file;
        }
        return m_file + ":" + std::to_string(mark.line + 1);
    }

    [[noreturn]] void fail(const YAML::Node& node, const std::string& path,
                           const std::string& message) const {
        throw ConfigError(where(node) + ": key '" + path + "': " + message);
    }

    void note_origin(const std::string& path, const YAML::Node& node) {
        m_config.origins[path] = where(node);
    }

    void for_each_key(const YAML::Node& node, const std::string& prefix,
                      const KeyHandler& handler) {
        if (node.IsNull()) {
            return;
        }
        if (!node.IsMap()) {
            fail(node, prefix.empty() ? "(top level)" : prefix, "expected a mapping of keys");
        }
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!it->first.IsScalar()) {
                fail(it->first, prefix, "keys must be plain strings");
            }
            const std::string key = it->first.Scalar();
            const std::string path = prefix.empty() ? key : prefix + "." + key;
            if (!handler(key, path, it->second)) {
                throw ConfigError(where(it->first) + ": unknown key '" + path + "'");
            }
        }
    }

    std::string scalar_text(const YAML::Node& node, const std::string& path) {
        if (!node.IsScalar()) {
            fail(node, path, "expected a single value");
        }
        try {
            return expand_env(node.Scalar(), m_env);
        } catch (const std::invalid_argument& e) {
            fail(node, path, e.what());
        }
    }

    std::string string(const YAML::Node& node, const std::string& path) {
        note_origin(path, node);
        if (node.IsNull()) {
            return {};
        }
        return scalar_text(node, path);
    }

    bool boolean(const YAML::Node& node, const std::string& path) {
        note_origin(path, node);
        const auto text = scalar_text(node, path);
        const auto value = parse_bool(text);
        if (!value) {
            fail(node, path, "expected true or false, got \"" + text + "\"");
        }
        return *value;
    }

    int integer(const YAML::Node& node, const std::string& path, long long min, long long max) {
        note_origin(path, node);
        const auto text = scalar_text(node, path);
        const auto value = parse_integer(text);
        if (!value) {
            fail(node, path, "expected an integer, got \"" + text + "\"");
        }
        if (*value < min || *value > max) {
            fail(node, path,
                 "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                     ", got " + text);
        }
        return static_cast<int>(*value);
    }

    double number(const YAML::Node& node, const std::string& path, double min, double max) {
        note_origin(path, node);
        const auto text = scalar_text(node, path);
        std::istringstream in{text};
        in.imbue(std::locale::classic());
        double value = 0;
        in >> value;
        if (!in || !in.eof()) {
            fail(node, path, "expected a number, got \"" + text + "\"");
        }
        if (value < min || value > max) {
            fail(node, path,
                 "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                     ", got " + text);
        }
        return value;
    }

    // A calendar date, YYYY-MM-DD.
    std::string date(const YAML::Node& node, const std::string& path) {
        note_origin(path, node);
        const auto text = scalar_text(node, path);
        int year = 0;
        unsigned month = 0, day = 0;
        char tail = 0;
        if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &tail) != 3 ||
            text.size() != 10 || year < 1 || month < 1 || month > 12 || day < 1 || day > 31) {
            fail(node, path, "expected a date YYYY-MM-DD, got \"" + text + "\"");
        }
        return text;
    }

    // A duration in seconds: a number with a unit, s, m, h or d ("1d", "90m").
    std::int64_t duration(const YAML::Node& node, const std::string& path) {
        note_origin(path, node);
        const auto text = scalar_text(node, path);
        const std::int64_t unit = text.empty()         ? 0
                                  : text.back() == 's' ? 1
                                  : text.back() == 'm' ? 60
                                  : text.back() == 'h' ? 3600
                                  : text.back() == 'd' ? 86400
                                                       : 0;
        const auto value =
            unit == 0 ? std::nullopt : parse_integer(text.substr(0, text.size() - 1));
        if (!value || *value < 0 || *value > 3650LL * 86400 / unit) {
            fail(node, path,
                 "expected a duration such as 1d, 12h, 30m or 0s (at most 3650 days), got \"" +
                     text + "\"");
        }
        return *value * unit;
    }

    // Days of retention: a positive integer, or 'forever' / null.
    std::optional<int> days(const YAML::Node& node, const std::string& path) {
        note_origin(path, node);
        if (node.IsNull()) {
            return std::nullopt;
        }
        const auto text = scalar_text(node, path);
        if (text == "forever" || text == "never") {
            return std::nullopt;
        }
        const auto value = parse_integer(text);
        if (!value || *value < 1 || *value > 365000) {
            fail(node, path,
                 "expected a number of days (1 or more) or 'forever', got \"" + text + "\"");
        }
        return static_cast<int>(*value);
    }

    std::vector<std::string> list(const YAML::Node& node, const std::string& path) {
        note_origin(path, node);
        std::vector<std::string> out;
        if (node.IsNull()) {
            return out;
        }
        if (!node.IsSequence()) {
            fail(node, path, "expected a list");
        }
        for (const auto& item : node) {
            out.push_back(scalar_text(item, path));
        }
        return out;
    }

    // Mappings merge into the defaults key by key, as in the old tool.
    void merge_map(const YAML::Node& node, const std::string& path,
                   std::map<std::string, std::string>& target) {
        note_origin(path, node);
        if (node.IsNull()) {
            return;
        }
        if (!node.IsMap()) {
            fail(node, path, "expected a mapping");
        }
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!it->first.IsScalar()) {
                fail(it->first, path, "keys must be plain strings");
            }
            target[it->first.Scalar()] = scalar_text(it->second, path + "." + it->first.Scalar());
        }
    }

    // A list of {pattern, placeholder}, replacing the defaults; PostgreSQL
    // checks the patterns (a bad one fails the rollup of each day with its
    // error).
    void read_endpoint_templates(const YAML::Node& node, const std::string& path) {
        note_origin(path, node);
        auto& templates = m_config.rollup.endpoint_templates;
        templates.clear();
        if (node.IsNull()) {
            return;
        }
        if (!node.IsSequence()) {
            fail(node, path, "expected a list of {pattern, placeholder}");
        }
        for (const auto& item : node) {
            Config::EndpointTemplate t;
            for_each_key(item, path,
                         [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                             if (k == "pattern") {
                                 t.pattern = string(v, p);
                             } else if (k == "placeholder") {
                                 t.placeholder = string(v, p);
                             } else {
                                 return false;
                             }
                             return true;
                         });
            if (t.pattern.empty()) {
                fail(item, path, "each template needs a non-empty pattern");
            }
            templates.push_back(t);
        }
        if (templates.size() > 64) {
            fail(node, path, "at most 64 templates");
        }
    }

    void read_performance(const YAML::Node& node, const std::string& prefix) {
        for_each_key(node, prefix,
                     [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                         if (k == "batch_size") {
                             m_config.performance.batch_size = integer(v, p, 1, 10'000'000);
                         } else if (k == "load_connections") {
                             m_config.performance.load_connections = integer(v, p, 1, 16);
                         } else {
                             return false;
                         }
                         return true;
                     });
    }

    void read_data_privacy(const YAML::Node& node, const std::string& prefix) {
        for_each_key(node, prefix,
                     [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                         if (k == "keys_blacklist") {
                             m_config.data_privacy.keys_blacklist = list(v, p);
                         } else if (k == "anonymize_ip") {
                             m_config.data_privacy.anonymize_ip = boolean(v, p);
                         } else if (k == "secret_keys") {
                             m_config.data_privacy.secret_keys = list(v, p);
                         } else {
                             return false;
                         }
                         return true;
                     });
    }

    void read_parsers(const YAML::Node& node, const std::string& prefix) {
        for_each_key(
            node, prefix, [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                if (k == "text_message") {
                    for_each_key(
                        v, p,
                        [&](const std::string& k2, const std::string& p2, const YAML::Node& v2) {
                            if (k2 == "regex") {
                                m_config.parsers.text_message.regex = checked_regex(v2, p2);
                            } else if (k2 == "response_time_unit") {
                                const auto unit = string(v2, p2);
                                if (unit != "ms" && unit != "s") {
                                    fail(v2, p2, "expected \"ms\" or \"s\", got \"" + unit + "\"");
                                }
                                m_config.parsers.text_message.response_time_unit = unit;
                            } else {
                                return false;
                            }
                            return true;
                        });
                } else if (k == "opentelemetry") {
                    for_each_key(
                        v, p,
                        [&](const std::string& k2, const std::string& p2, const YAML::Node& v2) {
                            if (k2 != "text_message_parser") {
                                return false;
                            }
                            for_each_key(v2, p2,
                                         [&](const std::string& k3, const std::string& p3,
                                             const YAML::Node& v3) {
                                             if (k3 == "enable") {
                                                 m_config.parsers.otel_text_message_parser.enable =
                                                     boolean(v3, p3);
                                             } else if (k3 == "regex") {
                                                 m_config.parsers.otel_text_message_parser.regex =
                                                     checked_regex(v3, p3);
                                             } else {
                                                 return false;
                                             }
                                             return true;
                                         });
                            return true;
                        });
                } else {
                    return false;
                }
                return true;
            });
    }

    // The old tool's Python patterns: (?P<name>...) groups are RE2 syntax too.
    // A leading r"..." wrapper (a YAML plain scalar copied from Python) is unwrapped.
    std::string checked_regex(const YAML::Node& node, const std::string& path) {
        std::string pattern = string(node, path);
        if (pattern.size() >= 3 && pattern.compare(0, 2, "r\"") == 0 && pattern.back() == '"') {
            pattern = pattern.substr(2, pattern.size() - 3);
            m_config.warnings.push_back(
                "key '" + path + "' (" + where(node) +
                "): the value is written as a Python r\"...\" literal; the pattern inside "
                "the quotes is used (write it without r\"...\")");
        }
        if (pattern.empty()) {
            return pattern;
        }
        RE2::Options options;
        options.set_log_errors(false);
        RE2 re{pattern, options};
        if (!re.ok()) {
            fail(node, path, "invalid regular expression: " + re.error());
        }
        return pattern;
    }

    void read_app_processors(const YAML::Node& node, const std::string& prefix) {
        for_each_key(
            node, prefix, [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                if (k == "fallback_on_generic") {
                    m_config.app_processors.fallback_on_generic = boolean(v, p);
                    return true;
                }
                static const char* const names[] = {"geoserver", "mapserver", "mapproxy",
                                                    "ogcserver", "dataapi",   "generic"};
                std::string name = k == "datapi" ? "dataapi" : k; // the old tool's typo
                bool known = false;
                for (const char* n : names) {
                    known = known || name == n;
                }
                if (!known) {
                    return false;
                }
                auto& processor = m_config.app_processors.by_name[name];
                for_each_key(
                    v, p, [&](const std::string& k2, const std::string& p2, const YAML::Node& v2) {
                        if (k2 == "infer_is_tiled") {
                            processor.infer_is_tiled = boolean(v2, p2);
                        } else if (k2 == "infer_is_download") {
                            processor.infer_is_download = boolean(v2, p2);
                        } else if (k2 == "download_formats") {
                            for_each_key(
                                v2, p2,
                                [&](const std::string& k3, const std::string& p3,
                                    const YAML::Node& v3) {
                                    if (k3 == "vector") {
                                        merge_map(v3, p3, processor.download_formats.vector);
                                    } else if (k3 == "raster") {
                                        merge_map(v3, p3, processor.download_formats.raster);
                                    } else {
                                        return false;
                                    }
                                    return true;
                                });
                        } else {
                            return false;
                        }
                        return true;
                    });
                return true;
            });
    }

    // The old tool's Python dictConfig: its root level becomes -q, -v or -vv;
    // handlers, formatters and per-logger levels have no equivalent (logs go
    // to stderr, formatted by --log-format), noted in 'ignored'.
    std::optional<int> verbosity_of_python_logging_config(const YAML::Node& node,
                                                          const std::string& prefix,
                                                          std::vector<std::string>& ignored) {
        std::optional<int> verbosity;
        std::string unused;
        for_each_key(node, prefix,
                     [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                         if (k == "root") {
                             for_each_key(v, p,
                                          [&](const std::string& k2, const std::string& p2,
                                              const YAML::Node& v2) {
                                              if (k2 == "level") {
                                                  verbosity = python_level_verbosity(v2, p2);
                                              }
                                              return true; // handlers, filters: nothing to map
                                          });
                         } else if (k != "version" && k != "disable_existing_loggers" &&
                                    k != "incremental") {
                             unused += (unused.empty() ? "" : ", ") + p;
                         }
                         return true;
                     });
        if (!unused.empty()) {
            ignored.push_back(unused + " (" + where(node) +
                              "): logs go to stderr, formatted by --log-format; only "
                              "logging.root.level is used");
        }
        return verbosity;
    }

    int python_level_verbosity(const YAML::Node& node, const std::string& path) {
        const auto level = string(node, path);
        if (level == "DEBUG" || level == "NOTSET" || level == "10" || level == "0") {
            return 2;
        }
        if (level == "INFO" || level == "20") {
            return 1;
        }
        if (level == "WARNING" || level == "WARN" || level == "30") {
            return 0;
        }
        if (level == "ERROR" || level == "CRITICAL" || level == "FATAL" || level == "40" ||
            level == "50") {
            return -1;
        }
        fail(node, path, "expected DEBUG, INFO, WARNING, ERROR or CRITICAL, got \"" + level + "\"");
    }

    void read_metrics(const YAML::Node& node, const std::string& prefix) {
        for_each_key(
            node, prefix, [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                if (k == "enabled") {
                    m_config.metrics.enabled = boolean(v, p);
                } else if (k == "metrics_file_path") {
                    m_config.metrics.metrics_file_path = string(v, p);
                } else if (k == "pushgateway_url") {
                    // prometheus_client's push_to_gateway takes host:port too.
                    auto& url = m_config.metrics.pushgateway_url;
                    url = string(v, p);
                    if (!url.empty() && url.find("://") == std::string::npos) {
                        url = "http://" + url;
                    }
                } else if (k == "pushgateway_job") {
                    m_config.metrics.pushgateway_job = string(v, p);
                    if (m_config.metrics.pushgateway_job.empty()) {
                        fail(v, p, "a job name cannot be empty");
                    }
                } else if (k == "pushgateway_timeout") {
                    const auto seconds = duration(v, p);
                    if (seconds < 1 || seconds > 600) {
                        fail(v, p, "must be between 1s and 10m");
                    }
                    m_config.metrics.pushgateway_timeout_seconds = static_cast<int>(seconds);
                } else if (k == "georchestra_names") {
                    m_config.metrics.georchestra_names = boolean(v, p);
                } else {
                    return false;
                }
                return true;
            });
    }

    void read_database(const YAML::Node& node, const std::string& prefix) {
        for_each_key(node, prefix,
                     [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                         auto& db = m_config.database;
                         if (k == "url") {
                             db.url = string(v, p);
                         } else if (k == "host") {
                             db.host = string(v, p);
                         } else if (k == "port") {
                             db.port = string(v, p);
                             if (!db.port.empty() && !parse_integer(db.port)) {
                                 fail(v, p, "expected a port number, got \"" + db.port + "\"");
                             }
                         } else if (k == "database") {
                             db.name = string(v, p);
                         } else if (k == "username") {
                             db.username = string(v, p);
                         } else if (k == "password") {
                             db.password = string(v, p);
                         } else if (k == "schema") {
                             db.schema = string(v, p);
                             if (db.schema.empty() || db.schema.size() > 63) {
                                 fail(v, p, "a schema name has 1 to 63 characters");
                             }
                         } else if (k == "buffer_unlogged") {
                             db.buffer_unlogged = boolean(v, p);
                         } else if (k == "drivername") {
                             const auto driver = string(v, p);
                             if (driver.rfind("postgres", 0) != 0) {
                                 fail(v, p, "only PostgreSQL is supported, got \"" + driver + "\"");
                             }
                         } else {
                             return false;
                         }
                         return true;
                     });
    }

    void read_partitions(const YAML::Node& node, const std::string& prefix) {
        for_each_key(node, prefix,
                     [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                         if (k == "history_months") {
                             m_config.partitions.history_months = integer(v, p, 0, 1200);
                         } else if (k == "future_months") {
                             m_config.partitions.future_months = integer(v, p, 0, 1200);
                         } else {
                             return false;
                         }
                         return true;
                     });
    }

    void read_retention(const YAML::Node& node, const std::string& prefix) {
        for_each_key(
            node, prefix, [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                auto& r = m_config.retention;
                std::optional<int>* target = k == "access_logs"          ? &r.access_logs
                                             : k == "searches"           ? &r.searches
                                             : k == "search_impressions" ? &r.search_impressions
                                             : k == "events"             ? &r.events
                                             : k == "hourly_rollups"     ? &r.hourly_rollups
                                             : k == "daily_rollups"      ? &r.daily_rollups
                                             : k == "monthly_rollups"    ? &r.monthly_rollups
                                                                         : nullptr;
                if (target == nullptr) {
                    return false;
                }
                *target = days(v, p);
                return true;
            });
    }

    // A section of one string key (user_agent, geoip).
    void read_one_string(const YAML::Node& node, const std::string& prefix, const char* name,
                         std::string& into) {
        for_each_key(node, prefix,
                     [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                         if (k != name) {
                             return false;
                         }
                         into = string(v, p);
                         return true;
                     });
    }

    void read_ingest(const YAML::Node& node, const std::string& prefix) {
        for_each_key(node, prefix,
                     [&](const std::string& k, const std::string& p, const YAML::Node& v) {
                         if (k == "max_reject_ratio") {
                             m_config.ingest.max_reject_ratio = number(v, p, 0.0, 1.0);
                         } else if (k == "store_message") {
                             m_config.ingest.store_message = boolean(v, p);
                         } else if (k == "earliest") {
                             m_config.ingest.earliest = date(v, p);
                         } else if (k == "max_future") {
                             m_config.ingest.max_future_seconds = duration(v, p);
                         } else {
                             return false;
                         }
                         return true;
                     });
    }

    std::string m_file;
    const EnvLookup& m_env;
    Config& m_config;
};

void validate(const Config& config, const std::string& source) {
    const auto& message_parser = config.parsers.otel_text_message_parser;
    if (message_parser.enable && message_parser.regex.empty()) {
        const auto it = config.origins.find("parsers.opentelemetry.text_message_parser.enable");
        throw ConfigError((it != config.origins.end() ? it->second : source) +
                          ": key 'parsers.opentelemetry.text_message_parser.enable': true needs "
                          "parsers.opentelemetry.text_message_parser.regex");
    }
    try {
        (void)date::locate_zone(config.timezone);
    } catch (const std::exception&) {
        const auto it = config.origins.find("timezone");
        const std::string where = it != config.origins.end() ? it->second : source;
        throw ConfigError(where + ": key 'timezone': unknown time zone \"" + config.timezone +
                          "\" (use an IANA name such as Europe/Paris or UTC)");
    }
}

Config parse_document(const YAML::Node& root, const std::string& name, const EnvLookup& env) {
    Config config = defaults();
    config.source_file = name;
    FileReader{name, env, config}.read_root(root);
    apply_env_overrides(config, env);
    validate(config, name);
    return config;
}

[[noreturn]] void throw_yaml_error(const YAML::Exception& e, const std::string& name) {
    const std::string line = e.mark.line >= 0 ? ":" + std::to_string(e.mark.line + 1) : "";
    throw ConfigError(name + line + ": invalid YAML: " + e.msg);
}

} // namespace

std::vector<std::string> default_locations(const EnvLookup& env) {
    std::vector<std::string> out;
    if (auto xdg = env("XDG_CONFIG_HOME")) {
        out.push_back(*xdg + "/analytics/config.yaml");
    } else if (auto home = env("HOME")) {
        out.push_back(*home + "/.config/analytics/config.yaml");
    }
    out.emplace_back("/etc/analytics/config.yaml");
    return out;
}

void apply_env_overrides(Config& config, const EnvLookup& env) {
    struct DaysOverride {
        const char* variable;
        const char* key;
        std::optional<int> Retention::*field;
    };

    static const DaysOverride retention_overrides[] = {
        {"ANALYTICS_RETENTION_API_USAGE_DAYS", "retention.access_logs", &Retention::access_logs},
        {"ANALYTICS_RETENTION_SEARCH_DAYS", "retention.searches", &Retention::searches},
        {"ANALYTICS_RETENTION_IMPRESSION_DAYS", "retention.search_impressions",
         &Retention::search_impressions},
        {"ANALYTICS_RETENTION_EVENT_DAYS", "retention.events", &Retention::events},
        {"ANALYTICS_RETENTION_HOURLY_DAYS", "retention.hourly_rollups", &Retention::hourly_rollups},
        {"ANALYTICS_RETENTION_DAILY_DAYS", "retention.daily_rollups", &Retention::daily_rollups},
        {"ANALYTICS_RETENTION_MONTHLY_DAYS", "retention.monthly_rollups",
         &Retention::monthly_rollups},
    };
    for (const auto& o : retention_overrides) {
        const auto value = env(o.variable);
        if (!value) {
            continue;
        }
        if (*value == "forever" || *value == "never") {
            config.retention.*(o.field) = std::nullopt;
        } else {
            const auto days = parse_integer(*value);
            if (!days || *days < 1 || *days > 365000) {
                throw ConfigError(std::string{"environment variable "} + o.variable +
                                  ": expected a number of days (1 or more) or 'forever', got \"" +
                                  *value + "\"");
            }
            config.retention.*(o.field) = static_cast<int>(*days);
        }
        config.origins[o.key] = std::string{"env "} + o.variable;
    }

    struct IntOverride {
        const char* variable;
        const char* key;
        int* field;
        long long min;
        long long max;
    };

    const IntOverride int_overrides[] = {
        {"ANALYTICS_PARTITION_HISTORY_MONTHS", "partitions.history_months",
         &config.partitions.history_months, 0, 1200},
        {"ANALYTICS_PARTITION_FUTURE_MONTHS", "partitions.future_months",
         &config.partitions.future_months, 0, 1200},
        {"ANALYTICS_ROLLUP_MAX_DAYS_PER_RUN", "rollup.max_days_per_run",
         &config.rollup.max_days_per_run, 1, 36600},
    };
    for (const auto& o : int_overrides) {
        const auto value = env(o.variable);
        if (!value) {
            continue;
        }
        const auto parsed = parse_integer(*value);
        if (!parsed || *parsed < o.min || *parsed > o.max) {
            throw ConfigError(std::string{"environment variable "} + o.variable +
                              ": expected an integer between " + std::to_string(o.min) + " and " +
                              std::to_string(o.max) + ", got \"" + *value + "\"");
        }
        *o.field = static_cast<int>(*parsed);
        config.origins[o.key] = std::string{"env "} + o.variable;
    }
}

Config load_from_string(const std::string& yaml, const std::string& name, const EnvLookup& env) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml);
    } catch (const YAML::Exception& e) {
        throw_yaml_error(e, name);
    }
    Config config = parse_document(root, name, env);
    // The secret list is read by every parser, including those given no Config.
    set_configured_secret_names(config.data_privacy.secret_keys);
    return config;
}

Config load(const LoadOptions& options) {
    std::string path = options.explicit_path;
    if (path.empty()) {
        if (auto from_env = options.env("ANALYTICS_CONFIG")) {
            path = *from_env;
        }
    }
    if (path.empty()) {
        for (const auto& candidate : default_locations(options.env)) {
            if (file_exists(candidate)) {
                path = candidate;
                break;
            }
        }
    }
    if (path.empty()) {
        Config config = defaults();
        apply_env_overrides(config, options.env);
        validate(config, "(defaults)");
        set_configured_secret_names(config.data_privacy.secret_keys);
        return config;
    }
    std::ifstream in{path, std::ios::binary};
    if (!in) {
        throw ConfigError("cannot read configuration file " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return load_from_string(text.str(), path, options.env);
}

} // namespace analytics::config
