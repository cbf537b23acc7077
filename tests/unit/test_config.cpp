#include "env_stub.hpp"

#include <analytics/config/loader.hpp>
#include <analytics/config/show.hpp>
#include <analytics/util/errors.hpp>

#include <doctest/doctest.h>

#include <ostream> // doctest stringifies std::string through it

using analytics::ConfigError;
using analytics::config::load_from_string;

namespace {

std::string error_of(const std::string& yaml, std::map<std::string, std::string> env = {}) {
    try {
        load_from_string(yaml, "test.yaml", fake_env(std::move(env)));
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_SUITE("config") {
    TEST_CASE("defaults match SPEC §5 and the old tool") {
        const auto c = load_from_string("", "empty.yaml", fake_env());
        CHECK(c.timezone == "UTC");
        CHECK(c.performance.batch_size == 10000);
        CHECK(c.performance.load_connections == 2);
        CHECK(c.data_privacy.keys_blacklist ==
              std::vector<std::string>{"user_id", "user_name", "client_ip"});
        CHECK_FALSE(c.data_privacy.anonymize_ip);
        CHECK(c.partitions.history_months == 2);
        CHECK(c.partitions.future_months == 2);
        CHECK(c.retention.access_logs == 30);
        CHECK(c.retention.searches == 90);
        CHECK(c.retention.search_impressions == 30);
        CHECK(c.retention.events == 90);
        CHECK(c.retention.hourly_rollups == 21);
        CHECK(c.retention.daily_rollups == 730);
        CHECK_FALSE(c.retention.monthly_rollups.has_value());
        CHECK(c.rollup.max_days_per_run == 31);
        CHECK(c.database.schema == "analytics");
        CHECK_FALSE(c.database.buffer_unlogged);
        CHECK(c.parsers.text_message.response_time_unit == "ms");
        CHECK(c.parsers.text_message.regex.find("(?P<timestamp>") != std::string::npos);
        const auto& geoserver = c.app_processors.by_name.at("geoserver");
        CHECK(geoserver.infer_is_tiled);
        CHECK(geoserver.download_formats.vector.at("excel2007") == "Excel");
        CHECK(c.app_processors.by_name.at("dataapi").download_formats.vector.at("ooxml") ==
              "Excel");
        CHECK(c.ingest.max_reject_ratio == doctest::Approx(0.01));
        CHECK_FALSE(c.ingest.store_message);
        CHECK(c.ingest.earliest == "2000-01-01");
        CHECK(c.ingest.max_future_seconds == 86400);
        CHECK(c.user_agent.regexes_file == "/usr/share/uap-core/regexes.yaml");
        CHECK(c.geoip.database.empty()); // countries are off by default
    }

    TEST_CASE("geoip.database: a path, and no other key under geoip") {
        const auto c = load_from_string(
            "geoip:\n  database: /var/lib/GeoIP/GeoLite2-Country.mmdb\n", "g.yaml", fake_env());
        CHECK(c.geoip.database == "/var/lib/GeoIP/GeoLite2-Country.mmdb");
        CHECK(c.origins.at("geoip.database") == "g.yaml:2");
        CHECK(error_of("geoip:\n  datbase: x.mmdb\n").find("geoip.datbase") != std::string::npos);
    }

    TEST_CASE("the accepted time window: a date and a duration with its unit") {
        const auto c = load_from_string("ingest:\n  earliest: 1995-06-30\n  max_future: 90m\n",
                                        "w.yaml", fake_env());
        CHECK(c.ingest.earliest == "1995-06-30");
        CHECK(c.ingest.max_future_seconds == 5400);
        CHECK(load_from_string("ingest: {max_future: 0s}", "w.yaml", fake_env())
                  .ingest.max_future_seconds == 0);
        CHECK(load_from_string("ingest: {max_future: 2d}", "w.yaml", fake_env())
                  .ingest.max_future_seconds == 172800);
        for (const char* bad : {"3 days", "1w", "-1d", "d", "3651d", "12"}) {
            CHECK(error_of(std::string("ingest:\n  max_future: ") + bad + "\n")
                      .find("ingest.max_future") != std::string::npos);
        }
        for (const char* bad :
             {"2000", "2000-13-01", "2000-1-1", "yesterday", "2000-01-01T00:00"}) {
            CHECK(error_of(std::string("ingest:\n  earliest: ") + bad + "\n")
                      .find("ingest.earliest") != std::string::npos);
        }
    }

    TEST_CASE("values from the file, with origins") {
        const auto c = load_from_string("timezone: Europe/Paris\n"
                                        "performance:\n"
                                        "  batch_size: 500\n"
                                        "  load_connections: 3\n"
                                        "apps_mapping:\n"
                                        "  /data/: dataapi\n"
                                        "retention:\n"
                                        "  access_logs: 60\n"
                                        "  daily_rollups: forever\n"
                                        "database:\n"
                                        "  buffer_unlogged: true\n",
                                        "c.yaml", fake_env());
        CHECK(c.database.buffer_unlogged);
        CHECK(c.timezone == "Europe/Paris");
        CHECK(c.performance.batch_size == 500);
        CHECK(c.performance.load_connections == 3);
        CHECK(c.apps_mapping.at("/data/") == "dataapi");
        CHECK(c.retention.access_logs == 60);
        CHECK_FALSE(c.retention.daily_rollups.has_value());
        CHECK(c.origins.at("timezone") == "c.yaml:1");
        CHECK(c.origins.at("performance.batch_size") == "c.yaml:3");
        CHECK(c.origins.at("performance.load_connections") == "c.yaml:4");
    }

    TEST_CASE("maps merge into the defaults key by key, lists replace") {
        const auto c = load_from_string("app_processors:\n"
                                        "  geoserver:\n"
                                        "    download_formats:\n"
                                        "      vector:\n"
                                        "        kml: KML\n"
                                        "data_privacy:\n"
                                        "  keys_blacklist: []\n",
                                        "c.yaml", fake_env());
        const auto& vector = c.app_processors.by_name.at("geoserver").download_formats.vector;
        CHECK(vector.at("kml") == "KML");
        CHECK(vector.at("csv") == "CSV");
        CHECK(c.data_privacy.keys_blacklist.empty());
    }

    TEST_CASE("rollup.endpoint_templates: a list that replaces the defaults") {
        CHECK(load_from_string("", "c.yaml", fake_env()).rollup.endpoint_templates.size() == 4);
        const auto c = load_from_string("rollup:\n"
                                        "  endpoint_templates:\n"
                                        "    - {pattern: '/[0-9]+', placeholder: '/{n}'}\n",
                                        "c.yaml", fake_env());
        REQUIRE(c.rollup.endpoint_templates.size() == 1);
        CHECK(c.rollup.endpoint_templates[0].pattern == "/[0-9]+");
        CHECK(c.rollup.endpoint_templates[0].placeholder == "/{n}");
        CHECK(load_from_string("rollup: {endpoint_templates: []}\n", "c.yaml", fake_env())
                  .rollup.endpoint_templates.empty());
        CHECK_THROWS_WITH(load_from_string("rollup: {endpoint_templates: [{placeholder: x}]}\n",
                                           "c.yaml", fake_env()),
                          doctest::Contains("each template needs a non-empty pattern"));
        CHECK_THROWS_WITH(load_from_string("rollup: {endpoint_templates: [{pattern: x, to: y}]}\n",
                                           "c.yaml", fake_env()),
                          doctest::Contains("unknown key 'rollup.endpoint_templates.to'"));
        CHECK_THROWS_WITH(
            load_from_string("rollup: {endpoint_templates: x}\n", "c.yaml", fake_env()),
            doctest::Contains("expected a list of {pattern, placeholder}"));
    }

    TEST_CASE("environment expansion") {
        const auto c =
            load_from_string("database:\n"
                             "  host: ${DB_HOST}\n"
                             "  port: ${DB_PORT:5433}\n"
                             "  password: !ENV ${DB_SECRET:secret}\n"
                             "  username: u-${WHO:x}-${WHO2:y}\n",
                             "c.yaml", fake_env({{"DB_HOST", "db.example.org"}, {"WHO", "me"}}));
        CHECK(c.database.host == "db.example.org");
        CHECK(c.database.port == "5433");
        CHECK(c.database.password == "secret");
        CHECK(c.database.username == "u-me-y");
    }

    TEST_CASE("an unset variable without default names the variable, key, file and line") {
        const auto message = error_of("timezone: UTC\ndatabase:\n  host: ${NOPE}\n");
        CHECK(message.find("test.yaml:3") != std::string::npos);
        CHECK(message.find("database.host") != std::string::npos);
        CHECK(message.find("NOPE") != std::string::npos);
    }

    TEST_CASE("unknown keys are errors naming the key, file and line") {
        CHECK(error_of("timezone: UTC\ntimezon: UTC\n") == "test.yaml:2: unknown key 'timezon'");
        CHECK(error_of("performance:\n  batch_sise: 3\n") ==
              "test.yaml:2: unknown key 'performance.batch_sise'");
        CHECK(error_of("app_processors:\n  geoserver:\n    infer_tiled: true\n") ==
              "test.yaml:3: unknown key 'app_processors.geoserver.infer_tiled'");
        CHECK(error_of("app_processors:\n  qgisserver: {}\n") ==
              "test.yaml:2: unknown key 'app_processors.qgisserver'");
    }

    TEST_CASE("wrong types and ranges are errors") {
        CHECK(error_of("performance:\n  batch_size: many\n") ==
              "test.yaml:2: key 'performance.batch_size': expected an integer, got \"many\"");
        CHECK(error_of("performance:\n  batch_size: 0\n").find("must be between 1") !=
              std::string::npos);
        CHECK(error_of("performance:\n  load_connections: 0\n").find("must be between 1 and 16") !=
              std::string::npos);
        CHECK(error_of("performance:\n  load_connections: 17\n").find("must be between 1 and 16") !=
              std::string::npos);
        CHECK(error_of("support_multiple_dn: perhaps\n").find("expected true or false") !=
              std::string::npos);
        CHECK(error_of("database:\n  buffer_unlogged: perhaps\n")
                  .find("test.yaml:2: key 'database.buffer_unlogged': expected true or false") !=
              std::string::npos);
        CHECK(error_of("apps_mapping: [a, b]\n").find("expected a mapping") != std::string::npos);
        CHECK(error_of("data_privacy:\n  keys_blacklist: user_id\n").find("expected a list") !=
              std::string::npos);
        CHECK(error_of("retention:\n  events: -3\n").find("test.yaml:2") != std::string::npos);
        CHECK(error_of("parsers:\n  text_message:\n    response_time_unit: us\n")
                  .find("expected \"ms\" or \"s\"") != std::string::npos);
        CHECK(error_of("database:\n  drivername: mysql\n").find("only PostgreSQL") !=
              std::string::npos);
        CHECK(error_of("[1, 2]\n").find("expected a mapping of keys") != std::string::npos);
    }

    TEST_CASE("invalid YAML and invalid values") {
        CHECK(error_of("a: [\n").find("invalid YAML") != std::string::npos);
        CHECK(error_of("timezone: Mars/Olympus\n").find("unknown time zone") != std::string::npos);
        CHECK(error_of("parsers:\n  text_message:\n    regex: '(?P<a>'\n")
                  .find("invalid regular expression") != std::string::npos);
    }

    TEST_CASE("the old tool's analytics_cli.yaml is accepted") {
        const auto c = load_from_string(
            "title: Analytics CLI config file\n"
            "performance:\n  batch_size: 100\n"
            "timezone: Indian/Kerguelen\n"
            "support_multiple_dn: true\n"
            "apps_mapping:\n  \"demo.georchestra.org/catalog/\": geonetwork\n"
            "data_privacy:\n  keys_blacklist: [user_id, user_name, roles]\n"
            "database:\n  drivername: postgresql\n  host: localhost\n  port: 5433\n"
            "  database: analytics\n  username: tsdb\n  password: !ENV ${GOA_DB_PASSWORD:secret}\n"
            "parsers:\n  opentelemetry:\n    text_message_parser:\n      enable: false\n"
            "      regex: r\"^(?P<ip>[0-9.]+) (?P<rest>.*)\"\n"
            "  text_message:\n    regex: '^(?P<ip>[0-9.]+) \\[(?P<timestamp>.*)\\]'\n"
            "    response_time_unit: \"s\"\n"
            "app_processors:\n  fallback_on_generic: false\n  geoserver:\n    infer_is_tiled: "
            "true\n"
            "  datapi:\n    download_formats:\n      vector:\n        shapefile: Shapefile\n"
            "metrics:\n  enabled: true\n  metrics_file_path: /tmp/analytics.prom\n"
            "  pushgateway_url: localhost:9091\n"
            "logging:\n  version: 1\n  root:\n    level: DEBUG\n",
            "analytics_cli.yaml", fake_env());
        CHECK(c.support_multiple_dn);
        CHECK(c.timezone == "Indian/Kerguelen");
        CHECK(c.database.port == "5433");
        CHECK(c.database.password == "secret");
        CHECK(c.parsers.otel_text_message_parser.regex == "^(?P<ip>[0-9.]+) (?P<rest>.*)");
        CHECK(c.parsers.text_message.response_time_unit == "s");
        CHECK(c.app_processors.by_name.at("dataapi").download_formats.vector.at("shapefile") ==
              "Shapefile");
        CHECK(c.metrics.enabled);
        // Nothing of it is ignored any more: logging.root.level is -vv, the
        // Pushgateway is pushed to (a bare host:port as prometheus_client takes it).
        CHECK(c.ignored_keys.empty());
        CHECK(c.log_verbosity == 2);
        CHECK(c.metrics.pushgateway_url == "http://localhost:9091");
        CHECK(c.metrics.pushgateway_job == "analytics-cli");
        CHECK_FALSE(c.metrics.georchestra_names);
        // The r"..." spelling is accepted with a warning naming the key and line.
        REQUIRE(c.warnings.size() == 1);
        CHECK(c.warnings[0].find("key 'parsers.opentelemetry.text_message_parser.regex' "
                                 "(analytics_cli.yaml:21)") != std::string::npos);
    }

    TEST_CASE("geOrchestra's logging root level maps onto -q, -v and -vv") {
        const auto level = [](const std::string& name) {
            return load_from_string("logging:\n  version: 1\n  root: {level: " + name + "}\n",
                                    "c.yaml", fake_env())
                .log_verbosity;
        };
        CHECK(level("DEBUG") == 2);
        CHECK(level("INFO") == 1);
        CHECK(level("WARNING") == 0);
        CHECK(level("ERROR") == -1);
        CHECK(level("CRITICAL") == -1);
        CHECK_FALSE(
            load_from_string("logging: {version: 1}\n", "c.yaml", fake_env()).log_verbosity);
        CHECK(error_of("logging:\n  root: {level: LOUD}\n").find("logging.root.level") !=
              std::string::npos);
        const auto c = load_from_string(
            "logging:\n  version: 1\n  handlers: {console: {class: x}}\n  root: {level: INFO}\n",
            "c.yaml", fake_env());
        REQUIRE(c.ignored_keys.size() == 1);
        CHECK(c.ignored_keys[0].find("logging.handlers") != std::string::npos);
    }

    TEST_CASE("metrics: Pushgateway job, timeout, geOrchestra names, and the message parser needs "
              "a regex") {
        const auto c =
            load_from_string("metrics:\n  pushgateway_url: https://u:pw@gw.example:9091/\n"
                             "  pushgateway_job: nightly\n  pushgateway_timeout: 30s\n"
                             "  georchestra_names: true\n",
                             "c.yaml", fake_env());
        CHECK(c.metrics.pushgateway_url == "https://u:pw@gw.example:9091/");
        CHECK(c.metrics.pushgateway_job == "nightly");
        CHECK(c.metrics.pushgateway_timeout_seconds == 30);
        CHECK(c.metrics.georchestra_names);
        CHECK(error_of("metrics: {pushgateway_timeout: 0s}\n").find("between 1s and 10m") !=
              std::string::npos);
        CHECK(error_of("metrics: {pushgateway_job: ''}\n").find("cannot be empty") !=
              std::string::npos);
        CHECK(error_of("parsers:\n  opentelemetry:\n    text_message_parser: {enable: true}\n")
                  .find("needs parsers.opentelemetry.text_message_parser.regex") !=
              std::string::npos);
    }

    TEST_CASE("environment overrides win over the file and are validated") {
        const auto env = fake_env({{"ANALYTICS_RETENTION_API_USAGE_DAYS", "45"},
                                   {"ANALYTICS_RETENTION_SEARCH_DAYS", "forever"},
                                   {"ANALYTICS_RETENTION_IMPRESSION_DAYS", "10"},
                                   {"ANALYTICS_RETENTION_EVENT_DAYS", "120"},
                                   {"ANALYTICS_PARTITION_HISTORY_MONTHS", "0"},
                                   {"ANALYTICS_PARTITION_FUTURE_MONTHS", "6"},
                                   {"ANALYTICS_ROLLUP_MAX_DAYS_PER_RUN", "7"}});
        const auto c = load_from_string("retention:\n  access_logs: 60\n", "c.yaml", env);
        CHECK(c.retention.access_logs == 45);
        CHECK_FALSE(c.retention.searches.has_value());
        CHECK(c.retention.search_impressions == 10);
        CHECK(c.retention.events == 120);
        CHECK(c.partitions.history_months == 0);
        CHECK(c.partitions.future_months == 6);
        CHECK(c.rollup.max_days_per_run == 7);
        CHECK(c.origins.at("retention.access_logs") == "env ANALYTICS_RETENTION_API_USAGE_DAYS");

        for (const auto& [name, value] :
             std::map<std::string, std::string>{{"ANALYTICS_ROLLUP_MAX_DAYS_PER_RUN", "0"},
                                                {"ANALYTICS_PARTITION_FUTURE_MONTHS", "-1"},
                                                {"ANALYTICS_RETENTION_EVENT_DAYS", "ninety"}}) {
            CAPTURE(name);
            const auto message = error_of("", {{name, value}});
            CHECK(message.find("environment variable " + name) != std::string::npos);
        }
    }

    TEST_CASE("config show masks secrets and notes origins") {
        auto c = load_from_string("database:\n  url: postgresql://u:hunter2@db/x\n"
                                  "  password: hunter2\n",
                                  "c.yaml", fake_env());
        const auto yaml = analytics::config::to_yaml(c);
        CHECK(yaml.find("hunter2") == std::string::npos);
        CHECK(yaml.find("\"password\": \"********\"  # c.yaml:3") != std::string::npos);
        CHECK(yaml.find("postgresql://u:********@db/x") != std::string::npos);
        const auto json = analytics::config::to_json(c).dump();
        CHECK(json.find("hunter2") == std::string::npos);
    }
}
