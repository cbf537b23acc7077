// Parsers + enricher end to end on the old tool's fixtures
// (georchestra-analytics-cli.md §2.4), as intended behaviour.

#include <analytics/config/config.hpp>
#include <analytics/enrich/enricher.hpp>
#include <analytics/enrich/user_agent.hpp>
#include <analytics/parse/access_parser.hpp>
#include <analytics/record/access_json.hpp>
#include <analytics/time/local_zone.hpp>
#include <analytics/util/privacy.hpp>

#include <doctest/doctest.h>

#include <ostream>

using namespace analytics;

namespace {

enrich::UserAgentParser& user_agents() {
    static enrich::UserAgentParser parser("/usr/share/uap-core/regexes.yaml");
    return parser;
}

struct Parsed {
    bool ok = false;
    std::string reason;
    std::vector<std::string> json;
    std::vector<record::AccessRecord> records;
};

Parsed parse_with(parse::AccessParser& parser, const config::Config& config, std::string_view line,
                  std::vector<std::pair<std::string, std::string>> extras = {}) {
    enrich::Enricher enricher(config, &user_agents());
    enricher.set_extras(std::move(extras));
    parse::ParsedBatch batch;
    Parsed result;
    result.ok = parser.parse(line, batch, result.reason);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        enrich::EnrichWarnings warnings;
        enricher.enrich(batch[i].record, batch[i].extras, warnings);
        std::string out;
        record::append_json(out, batch[i].record);
        result.json.push_back(out);
        result.records.push_back(batch[i].record);
    }
    return result;
}

bool has(const std::string& json, const std::string& fragment) {
    const bool found = json.find(fragment) != std::string::npos;
    if (!found) {
        MESSAGE("missing " << fragment << " in " << json);
    }
    return found;
}

const char* const fixture1 =
    R"({"timestamp":"2025-12-17T13:19:38.491768632Z","span_id":"45873ade9fe6c6ea","trace_id":"f361df134b6b0d62e082aaad1c4255c3",)"
    R"("message":"GET /geoserver/psc/wms","source_type":"opentelemetry","scope":{"name":"org.georchestra.gateway.accesslog"},)"
    R"("attributes":{"enduser.auth-method":"GeorchestraUserNamePasswordAuthenticationToken","enduser.id":"testadmin",)"
    R"("enduser.org.id":"PSC","enduser.org.uuid":"bddf474d-125d-4b18-92bd-bd8ebb6699a9",)"
    R"("enduser.roles":"ROLE_SUPERUSER,ROLE_MAPSTORE_ADMIN,ROLE_USER,ROLE_ADMINISTRATOR,ROLE_SUPERSET_ADMIN,ROLE_GN_ADMIN,ROLE_EMAILPROXY,ROLE_IMPORT",)"
    R"("enduser.uuid":"0c6bb556-4ee8-46f2-892d-6116e262b489",)"
    R"("http.request.header.User-Agent":"Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",)"
    R"("http.request.method":"GET",)"
    R"("http.request.parameter.BBOX":"532322.3855297221,6226308.935051317,766874.0734739716,6390006.467262409",)"
    R"("http.request.parameter.FORMAT":"image/png","http.request.parameter.HEIGHT":"537",)"
    R"("http.request.parameter.LAYERS":"psc:cours_eau","http.request.parameter.REQUEST":"GetMap",)"
    R"("http.request.parameter.SERVICE":"WMS","http.request.parameter.SRS":"EPSG:2154",)"
    R"("http.request.parameter.STYLES":"null","http.request.parameter.TRANSPARENT":"true",)"
    R"("http.request.parameter.VERSION":"1.1.1","http.request.parameter.WIDTH":"769",)"
    R"("http.request.parameter.EXCEPTIONS":"application/vnd.ogc.se_inimage",)"
    R"("http.request.path":"/geoserver/psc/wms",)"
    R"("http.request.query-string":"SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&FORMAT=image%2Fpng&LAYERS=psc%3Acours_eau",)"
    R"("http.request.remote-addr":"172.18.0.1/<unresolved>:42032","server.address":"georchestra-127-0-0-1.nip.io",)"
    R"("http.status_code":"200"}})";

const char* const fixture2 =
    R"(192.168.1.70 - testadmin|Project Steering Committee|ROLE_SUPERUSER,ROLE_MAPSTORE_ADMIN,ROLE_USER,ROLE_ADMINISTRATOR,ROLE_GN_ADMIN,ROLE_EMAILPROXY [18/Oct/2023:17:36:10 +0000] "GET /geoserver/sf/wms?service=WMS&version=1.1.0&request=GetMap&layers=sf%3Aroads&bbox=589434.8564686741%2C4914006.337837095%2C609527.2102150217%2C4928063.398014731&width=768&height=537&srs=EPSG%3A26713&styles=&format=application/openlayers HTTP/1.1" 200 - "-" "Mozilla/5.0 (X11; Linux x86_64; rv:102.0) Gecko/20100101 Firefox/102.0" - "geoserver" "-" 18ms)";

const char* const fixture3 =
    R"(127.0.0.1 127.0.1.1 unix:/var/run/mapserv-1.sock - [10/Dec/2025:05:39:15 +0100] "GET /ortho?transparent=True&layers=ortho_2022&format=image%2Fpng&bbox=792478.4366714223,6543339.050380466,792585.9236505884,6543446.537359633&width=1300&height=1300&srs=EPSG%3A2154&request=GetMap&version=1.1.1&service=WMS&styles= HTTP/1.1" 200 2560412 "-" "MapProxy-1.15.1" 0.626)";

// tests/config_files/config.yaml of the old tool: the default regex plus UA and "ms".
std::string test_config_regex() {
    std::string regex = config::default_text_regex;
    regex +=
        R"( \"-\" \"(?P<user_agent>[-0-9a-zA-Z\/\.: ();_]*)\" (?P<misc>.*) (?P<response_time>[0-9]+)ms$)";
    return regex;
}

const char* const multi_dn_regex =
    R"(^(?P<client_ip>[0-9\.]+) (?P<local_ip>[0-9\.]+) (?P<server_address>[-_\w\./:]+) (?P<user_identifier>[-_\w]+) \[(?P<timestamp>.*)\] \"(?P<method>GET|POST|HEAD|OPTION|PUT|PATCH|DELETE|TRACE|CONNECT) (https?:\/\/[_:a-zA-Z0-9\.-]+)?(?P<path>(\/.*)) HTTP\/[\.0-9]{3}\" (?P<status_code>[0-9]{3}) (?P<response_size>[-0-9]*) \"-\" \"(?P<user_agent>[-0-9a-zA-Z\/\.: ();_]*)\" (?P<response_time>[0-9\.]+)$)";

// geOrchestra's OpenTelemetry text_message_parser: Netty access-log lines that
// Vector's reduce transform merged into gateway records (§2.1, §7).
// reactor-netty's default access-log format: address - user [time] "request"
// status bytes port duration ms.
const char* const netty_regex =
    R"(^(?P<client_ip>[0-9a-fA-F:\.%]+) - (?P<user>\S+) \[(?P<timestamp>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[0-9.]+" (?P<status_code>[0-9]{3}) (?P<response_size>[-0-9]+) [0-9]+ (?P<response_time>[0-9]+) ms$)";

const char* const netty_line =
    R"(10.0.0.9 - - [17/Dec/2025:13:19:39 +0000] \"GET /geoserver/psc/wms?SERVICE=WMS&REQUEST=GetMap HTTP/1.1\" 500 45123 8080 312 ms)";

// A gateway record after Vector's remap (gateway message dropped) and reduce
// by span_id (messages newline-joined, scope names concatenated).
std::string reduced_record(const std::string& message) {
    return R"({"timestamp":"2025-12-17T13:19:38.491768632Z","span_id":"45873ade9fe6c6ea",)"
           R"("trace_id":"f361df134b6b0d62e082aaad1c4255c3","message":")" +
           message +
           R"(","source_type":"opentelemetry",)"
           R"("scope":{"name":"org.georchestra.gateway.accesslogreactor.netty.http.server.AccessLog"},)"
           R"("attributes":{"enduser.id":"testadmin","http.request.method":"GET",)"
           R"("http.request.path":"/geoserver/psc/wms","http.request.parameter.SERVICE":"WMS",)"
           R"("http.request.remote-addr":"172.18.0.1/<unresolved>:42032","http.status_code":"200"}})";
}

std::string parse_one(parse::AccessParser& parser, const std::string& line) {
    parse::ParsedBatch batch;
    std::string reason;
    REQUIRE_MESSAGE(parser.parse(line, batch, reason), reason);
    REQUIRE(batch.size() == 1);
    std::string json;
    record::append_json(json, batch[0].record);
    return json;
}

} // namespace

TEST_SUITE("access parsing") {
    TEST_CASE("fixture 1: OTel gateway record, full parse") {
        config::Config config = config::defaults();
        config.data_privacy.keys_blacklist.clear();
        const time::LocalZone utc("UTC");
        auto parser = parse::make_otel_parser(utc);
        const auto r = parse_with(*parser, config, fixture1);
        REQUIRE(r.ok);
        REQUIRE(r.json.size() == 1);
        const auto& j = r.json[0];
        CHECK(has(j, R"("id":"45873ade9fe6c6ea","ts":"2025-12-17T13:19:38.491768Z")"));
        CHECK(has(j, R"("app_id":"/geoserver/","app_path":"/geoserver/","app_name":"geoserver")"));
        CHECK(
            has(j, R"("user_id":"0c6bb556-4ee8-46f2-892d-6116e262b489","user_name":"testadmin")"));
        CHECK(has(j, R"("org_id":"bddf474d-125d-4b18-92bd-bd8ebb6699a9","org_name":"PSC")"));
        CHECK(has(j, R"("roles":["ROLE_SUPERUSER","ROLE_MAPSTORE_ADMIN",)"));
        CHECK(has(j, R"("auth_method":"GeorchestraUserNamePasswordAuthenticationToken")"));
        CHECK(has(j, R"("request_method":"GET","request_path":"/geoserver/psc/wms")"));
        CHECK(has(
            j,
            R"("request_query_string":"service=wms&version=1.1.1&request=getmap&format=image%2fpng&layers=psc%3acours_eau")"));
        CHECK(has(j, R"("service":"WMS")"));
        CHECK(has(j, R"("request":"getmap")"));
        CHECK(has(j, R"("crs":"EPSG:2154")"));
        CHECK(has(j, R"("layers":"cours_eau")"));
        CHECK(has(j, R"("workspaces":"psc")"));
        CHECK(has(j, R"("size":"769x537")"));
        CHECK(has(j, R"("styles":"null")"));
        CHECK(has(j, R"("tags":["ogc"])"));
        CHECK(j.find("\"srs\"") == std::string::npos);
        CHECK(has(
            j,
            R"("status_code":200,"client_ip":"172.18.0.1","server_address":"georchestra-127-0-0-1.nip.io")"));
        CHECK(has(
            j,
            R"("context_data":{"span_id":"45873ade9fe6c6ea","trace_id":"f361df134b6b0d62e082aaad1c4255c3","logger":"org.georchestra.gateway.accesslog","source_type":"opentelemetry"})"));
        CHECK(has(
            j,
            R"("user_agent_family":"Firefox","user_agent_version":"140.0","os_family":"Linux")"));
        CHECK(has(j, R"("device_type":"desktop")"));
        CHECK(j.find("response_time") == std::string::npos);
        CHECK(j.find("\"message\"") == std::string::npos); // not stored by default
    }

    TEST_CASE("fixture 1: the default keys_blacklist applies on the OTel path too") {
        const config::Config config = config::defaults();
        const time::LocalZone utc("UTC");
        auto parser = parse::make_otel_parser(utc);
        const auto r = parse_with(*parser, config, fixture1);
        REQUIRE(r.json.size() == 1);
        CHECK(r.json[0].find("user_id") == std::string::npos);
        CHECK(r.json[0].find("user_name") == std::string::npos);
        CHECK(r.json[0].find("client_ip") == std::string::npos);
        CHECK(has(r.json[0], R"("org_name":"PSC")"));
    }

    TEST_CASE("OTel observed_timestamp stands in for a missing or invalid timestamp only") {
        const time::LocalZone utc("UTC");
        auto parser = parse::make_otel_parser(utc);
        const std::string attributes =
            R"("attributes":{"http.request.method":"GET","http.request.path":"/geoserver/wms"})";
        const auto record = [&](const std::string& times) {
            return "{" + times + attributes + "}";
        };
        const std::string observed = R"("observed_timestamp":"2025-12-17T13:19:40Z",)";
        // A valid timestamp wins, wherever observed_timestamp is (even invalid).
        CHECK(has(parse_one(*parser, record(R"("timestamp":"2025-12-17T13:19:38Z",)" + observed)),
                  R"("ts":"2025-12-17T13:19:38Z")"));
        CHECK(has(parse_one(*parser, record(observed + R"("timestamp":"2025-12-17T13:19:38Z",)")),
                  R"("ts":"2025-12-17T13:19:38Z")"));
        CHECK(has(parse_one(*parser, record(R"("timestamp":"2025-12-17T13:19:38Z",)"
                                            R"("observed_timestamp":"garbage",)")),
                  R"("ts":"2025-12-17T13:19:38Z")"));
        // Missing, null or invalid: observed_timestamp (the last one given).
        for (const std::string& timestamp :
             {std::string(), std::string(R"("timestamp":null,)"),
              std::string(R"("timestamp":"not a time",)"), std::string(R"("timestamp":[],)")}) {
            CAPTURE(timestamp);
            CHECK(has(parse_one(*parser, record(timestamp + observed)),
                      R"("ts":"2025-12-17T13:19:40Z")"));
        }
        CHECK(has(parse_one(*parser,
                            record(R"("observed_timestamp":"2025-12-17T13:19:39Z",)" + observed)),
                  R"("ts":"2025-12-17T13:19:40Z")"));
        // Neither valid: rejected with the reason.
        for (const std::string& times :
             {std::string(), std::string(R"("timestamp":"x","observed_timestamp":"y",)"),
              std::string(R"("observed_timestamp":null,)")}) {
            CAPTURE(times);
            parse::ParsedBatch batch;
            std::string reason;
            CHECK_FALSE(parser->parse(record(times), batch, reason));
            CHECK(reason == "OTel record without a valid timestamp");
        }
    }

    TEST_CASE("fixture 2: CLF line with the magic user string, old test config regex") {
        config::Config config = config::defaults();
        config.data_privacy.keys_blacklist.clear();
        config.parsers.text_message.response_time_unit = "s";
        const time::LocalZone utc("UTC");
        auto parser = parse::make_regex_parser(test_config_regex(), config, utc);
        const auto r = parse_with(*parser, config, fixture2);
        REQUIRE(r.ok);
        const auto& j = r.json[0];
        CHECK(has(j, R"("ts":"2023-10-18T17:36:10Z")"));
        CHECK(has(j, R"("app_id":"/geoserver/","app_path":"/geoserver/","app_name":"geoserver")"));
        CHECK(has(
            j,
            R"("user_id":"testadmin","user_name":"testadmin","org_id":"Project Steering Committee","org_name":"Project Steering Committee")"));
        CHECK(has(
            j,
            R"("roles":["ROLE_SUPERUSER","ROLE_MAPSTORE_ADMIN","ROLE_USER","ROLE_ADMINISTRATOR","ROLE_GN_ADMIN","ROLE_EMAILPROXY"])"));
        CHECK(has(j, R"("request_path":"/geoserver/sf/wms")"));
        CHECK(has(j, R"("response_time":18000,"status_code":200,"client_ip":"192.168.1.70")"));
        CHECK(j.find("response_size") == std::string::npos);
        for (const char* fragment :
             {R"("bbox":"589434.8564686741,4914006.337837095,609527.2102150217,4928063.398014731")",
              R"("crs":"EPSG:26713")", R"("format":"application/openlayers")", R"("height":"537")",
              R"("width":"768")", R"("size":"768x537")", R"("layers":"roads")",
              R"("workspaces":"sf")", R"("request":"getmap")", R"("service":"WMS")",
              R"("version":"1.1.0")", R"("tags":["ogc"])"}) {
            CHECK(has(j, fragment));
        }
        CHECK(j.find("\"styles\":") == std::string::npos); // blank value dropped
        CHECK(has(
            j,
            R"("user_agent_family":"Firefox","user_agent_version":"102.0","os_family":"Linux")"));
    }

    TEST_CASE("fixture 2 through the built-in georchestra format") {
        config::Config config = config::defaults();
        config.data_privacy.keys_blacklist.clear();
        auto parser = parse::make_clf_parser(parse::TextVariant::georchestra, config);
        const auto r = parse_with(*parser, config, fixture2);
        REQUIRE(r.ok);
        CHECK(has(r.json[0], R"("response_time":18,"status_code":200)")); // "18ms" says ms
        CHECK(has(r.json[0], R"("org_name":"Project Steering Committee")"));
        CHECK(has(r.json[0], R"("workspaces":"sf")"));
    }

    TEST_CASE("fixture 3: nginx-like line, multiple domains") {
        config::Config config = config::defaults();
        config.data_privacy.keys_blacklist.clear();
        config.support_multiple_dn = true;
        config.timezone = "Indian/Kerguelen";
        config.apps_mapping = {{"demo.georchestra.org/catalog/", "geonetwork"},
                               {"mapserv.georchestra.org/", "mapserver"}};
        config.parsers.text_message.response_time_unit = "s";
        const time::LocalZone zone(config.timezone);
        auto parser = parse::make_regex_parser(multi_dn_regex, config, zone);
        const auto r =
            parse_with(*parser, config, fixture3,
                       {{"server_address", "mapserv.georchestra.org"}, {"app_path", "/"}});
        REQUIRE(r.ok);
        const auto& j = r.json[0];
        CHECK(has(j, R"("ts":"2025-12-10T04:39:15Z")"));
        CHECK(
            has(j, R"("app_id":"mapserv.georchestra.org/","app_path":"/","app_name":"mapserver")"));
        CHECK(j.find("user_id") == std::string::npos);
        CHECK(j.find("roles") == std::string::npos);
        CHECK(has(
            j,
            R"("response_time":626,"response_size":2560412,"status_code":200,"client_ip":"127.0.0.1","server_address":"mapserv.georchestra.org")"));
        CHECK(has(j, R"("request_path":"/ortho")"));
        for (const char* fragment :
             {R"("format":"image/png")", R"("size":"1300x1300")", R"("layers":"ortho_2022")",
              R"("workspaces":"/ortho")", R"("request":"getmap")", R"("service":"WMS")",
              R"("crs":"EPSG:2154")", R"("transparent":"true")", R"("version":"1.1.1")",
              R"("tags":["ogc"])"}) {
            CHECK(has(j, fragment));
        }
        CHECK(j.find("tiled") == std::string::npos);
        CHECK(has(j, R"("user_agent":"MapProxy-1.15.1","user_agent_family":"MapProxy")"));
    }

    TEST_CASE("combined and common lines") {
        const config::Config config = config::defaults();
        auto combined = parse::make_clf_parser(parse::TextVariant::combined, config);
        auto r = parse_with(
            *combined, config,
            R"(203.0.113.7 - - [01/Mar/2026:10:00:00 +0000] "GET /geoserver/ows?service=WFS&request=GetFeature&typeName=ws:roads&outputFormat=csv&api_key=s3cret&utm_source=newsletter HTTP/1.1" 200 5120 "https://portal.example.org/map?x=1" "Mozilla/5.0 QGIS/33404/Linux" 0.250)");
        REQUIRE(r.ok);
        const auto& j = r.json[0];
        CHECK(has(j, R"("response_time":250,"response_size":5120,"status_code":200)"));
        CHECK(has(j, R"("download_format":"CSV")"));
        CHECK(has(j, R"("user_agent_family":"QGIS","user_agent_version":"3.34")"));
        CHECK(has(
            j,
            R"("referrer":"https://portal.example.org/map?x=1","referring_domain":"portal.example.org","source_host":"portal.example.org")"));
        CHECK(has(j, R"("utm_source":"newsletter")"));
        CHECK(j.find("s3cret") == std::string::npos); // secrets never kept
        CHECK(j.find("api_key") == std::string::npos);
        CHECK(j.find("203.0.113.7") == std::string::npos); // client_ip blacklisted by default

        auto common = parse::make_clf_parser(parse::TextVariant::common, config);
        r = parse_with(
            *common, config,
            R"(10.0.0.1 - alice [01/Mar/2026:10:00:00 +0100] "POST /console/account/new HTTP/1.0" 302 -)");
        REQUIRE(r.ok);
        CHECK(has(r.json[0], R"("ts":"2026-03-01T09:00:00Z")"));
        CHECK(has(r.json[0], R"("app_path":"/console/","app_name":"console")"));
        CHECK(r.json[0].find("tags") == std::string::npos); // not OGC, kept
    }

    TEST_CASE("bad CLF lines give a reason") {
        const config::Config config = config::defaults();
        auto parser = parse::make_clf_parser(parse::TextVariant::combined, config);
        parse::ParsedBatch batch;
        std::string reason;
        for (const char* bad :
             {"", "garbage", "1.2.3.4 - - [bad time] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"",
              "1.2.3.4 - - [01/Mar/2026:10:00:00 +0000] \"\\x16\\x03\\x01\" 400 0 \"-\" \"-\"",
              "1.2.3.4 - - [01/Mar/2026:10:00:00 +0000] \"GET / HTTP/1.1\" abc 1 \"-\" \"-\"",
              "1.2.3.4 - - [01/Mar/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 -5x \"-\" \"-\"",
              "1.2.3.4 - - [01/Mar/2026:10:00:00 +0000] \"GET / HTTP/1.1"}) {
            CAPTURE(bad);
            reason.clear();
            CHECK_FALSE(parser->parse(bad, batch, reason));
            CHECK_FALSE(reason.empty());
        }
    }

    TEST_CASE("odd values are stored fixed up, with warnings") {
        const config::Config config = config::defaults();
        auto parser = parse::make_clf_parser(parse::TextVariant::combined, config);
        enrich::Enricher enricher(config, &user_agents());
        parse::ParsedBatch batch;
        std::string reason;
        REQUIRE(parser->parse(
            R"(1.2.3.4 - - [01/Mar/2026:10:00:00 +0000] "GET /geoserver/wms?service=WMS&layers=a:b:c HTTP/1.1" 999 -1 "-" "-")",
            batch, reason));
        enrich::EnrichWarnings warnings;
        enricher.enrich(batch[0].record, batch[0].extras, warnings);
        CHECK(batch[0].record.status_code.null);
        CHECK(batch[0].record.response_size.null);
        CHECK(warnings.counts.count("negative response size, stored as NULL") == 1);
        CHECK(warnings.counts.count("status code out of range 100-599, stored as NULL") == 1);
        CHECK(warnings.counts.count("layer name with several ':'") == 1);
    }

    TEST_CASE(
        "OTLP/JSON export: several records, typed values, 64-bit times as strings or numbers") {
        const config::Config config = config::defaults();
        auto parser = parse::make_otlp_parser();
        const std::string line =
            R"({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gateway"}}]},)"
            R"("scopeLogs":[{"scope":{"name":"org.georchestra.gateway.accesslog"},"logRecords":[)"
            R"({"timeUnixNano":"1765977578491768632","spanId":"aaaaaaaaaaaaaaaa","traceId":"bbbb","body":{"stringValue":"x"},)"
            R"("attributes":[{"key":"http.request.path","value":{"stringValue":"/geoserver/ows"}},)"
            R"({"key":"http.request.parameter.service","value":{"stringValue":"WMS"}},)"
            R"({"key":"http.response.status_code","value":{"intValue":"404"}},)"
            R"({"key":"http.response.body.size_bytes","value":{"intValue":12345678901}},)"
            R"({"key":"app_path_is_root","value":{"boolValue":false}},)"
            R"({"key":"enduser.roles","value":{"arrayValue":{"values":[{"stringValue":"ROLE_A"},{"stringValue":"ROLE_B"}]}}},)"
            R"({"key":"http.response.duration_ms","value":{"doubleValue":12.7}}]},)"
            R"({"timeUnixNano":1765977579000000000,"attributes":[{"key":"url.full","value":{"stringValue":"https://Geo.Example.org/mapproxy/wms?SERVICE=WMS&REQUEST=GetMap"}}]},)"
            R"({"timeUnixNano":"0","attributes":[{"key":"url.path","value":{"stringValue":"/x"}}]}]}]}]})";
        enrich::Enricher enricher(config, &user_agents());
        parse::ParsedBatch batch;
        std::string reason;
        REQUIRE(parser->parse(line, batch, reason));
        REQUIRE(batch.size() == 2);
        REQUIRE(batch.rejects().size() == 1);
        CHECK(batch.rejects()[0] == "logRecords[2]: no valid timeUnixNano");
        enrich::EnrichWarnings warnings;
        enricher.enrich(batch[0].record, batch[0].extras, warnings);
        std::string j;
        record::append_json(j, batch[0].record);
        CHECK(has(j, R"("id":"aaaaaaaaaaaaaaaa","ts":"2025-12-17T13:19:38.491768Z")"));
        CHECK(has(j, R"("roles":["ROLE_A","ROLE_B"])"));
        CHECK(has(j, R"("response_time":12,"response_size":12345678901,"status_code":404)"));
        CHECK(has(j, R"("service":"WMS")"));
        enricher.enrich(batch[1].record, batch[1].extras, warnings);
        j.clear();
        record::append_json(j, batch[1].record);
        CHECK(has(j, R"("ts":"2025-12-17T13:19:39Z")"));
        CHECK(has(j, R"("app_path":"/mapproxy/","app_name":"mapproxy")"));
        CHECK(has(j, R"("server_address":"geo.example.org")"));
        CHECK(batch[1].record.id.empty()); // the pipeline hashes it
    }

    TEST_CASE(
        "OTLP/JSON export: a time past the int64 range, negative or not a number is no time") {
        auto parser = parse::make_otlp_parser();
        const std::string head =
            R"({"resourceLogs":[{"scopeLogs":[{"scope":{"name":"s"},"logRecords":[)";
        const std::string path =
            R"("attributes":[{"key":"url.path","value":{"stringValue":"/x"}}]})";
        for (const char* time : {R"("9671577578491768632")", R"("99999999999999999999")",
                                 "18446744073709551615", R"("-5")", R"("+5")", R"("12a")", "1.5"}) {
            CAPTURE(time);
            const std::string line = head + R"({"timeUnixNano":)" + time + "," + path + "]}]}]}";
            parse::ParsedBatch batch;
            std::string reason;
            REQUIRE(parser->parse(line, batch, reason));
            CHECK(batch.size() == 0);
            REQUIRE(batch.rejects().size() == 1);
            CHECK(batch.rejects()[0] == "logRecords[0]: no valid timeUnixNano");
        }
        // The largest representable time is still a time; observedTimeUnixNano stands in.
        const std::string line =
            head + R"({"timeUnixNano":"9223372036854775807",)" + path + "," +
            R"({"timeUnixNano":"99999999999999999999","observedTimeUnixNano":"1765977578000000000",)" +
            path + "]}]}]}";
        parse::ParsedBatch batch;
        std::string reason;
        REQUIRE(parser->parse(line, batch, reason));
        CHECK(batch.size() == 2);
        CHECK(batch.rejects().empty());
    }

    TEST_CASE("api-json entries (BTAA test_log_request_queues_celery_payload)") {
        const config::Config config = config::defaults();
        const time::LocalZone utc("UTC");
        auto parser = parse::make_api_json_parser(utc);
        const auto r = parse_with(
            *parser, config,
            R"({"tier_id":6,"api_key_id":42,"endpoint":"/api/v1/search","method":"GET","status_code":200,"requested_at":"2026-04-23T17:42:10","response_time_ms":87,)"
            R"("ip_address":"203.0.113.10","user_agent":"TestAgent/1.0","referrer":"https://geo.btaa.org/search?q=maps","visit_token":"visit-123",)"
            R"("utm_source":"geoportal","utm_campaign":"spring-launch","client_name":"geoportal-web","client_version":"test-build","client_channel":"browser","client_instance":"dev-local",)"
            R"("properties":{"query_params":{"q":"maps","api_key":"secret"},"origin":"https://geo.btaa.org"}})");
        REQUIRE(r.ok);
        const auto& j = r.json[0];
        CHECK(has(j, R"("ts":"2026-04-23T17:42:10Z")"));
        CHECK(has(
            j,
            R"("request_method":"GET","request_path":"/api/v1/search","request_details":{"q":"maps"})"));
        CHECK(has(j, R"("response_time":87,"status_code":200)"));
        CHECK(has(
            j,
            R"("api_key_id":42,"tier_id":6,"visit_token":"visit-123","user_agent":"TestAgent/1.0")"));
        CHECK(has(
            j,
            R"("referring_domain":"geo.btaa.org","source_host":"geo.btaa.org","utm_source":"geoportal")"));
        CHECK(has(
            j,
            R"("utm_campaign":"spring-launch","client_name":"geoportal-web","client_version":"test-build","client_channel":"browser","client_instance":"dev-local")"));
        CHECK(j.find("secret") == std::string::npos);
        CHECK(has(j, R"("user_agent_family":"Other")"));
    }

    TEST_CASE("secrets are redacted in a stored message") {
        std::string line =
            R"(GET /wms?SERVICE=WMS&API_KEY=abc123&authkey=x&layers=a HTTP/1.1" 200)";
        redact_secrets(line);
        CHECK(line ==
              R"(GET /wms?SERVICE=WMS&API_KEY=REDACTED&authkey=REDACTED&layers=a HTTP/1.1" 200)");
        config::Config config = config::defaults();
        config.ingest.store_message = true;
        auto parser = parse::make_clf_parser(parse::TextVariant::combined, config);
        const auto r = parse_with(
            *parser, config,
            R"(1.2.3.4 - - [01/Mar/2026:10:00:00 +0000] "GET /a?token=t0k&x=1 HTTP/1.1" 200 1 "-" "-")");
        REQUIRE(r.ok);
        CHECK(r.json[0].find("t0k") == std::string::npos);
        CHECK(has(
            r.json[0],
            R"("message":"1.2.3.4 - - [01/Mar/2026:10:00:00 +0000] \"GET /a?token=REDACTED&x=1)"));
    }

    TEST_CASE("OTel: secrets in an encoded query string and in a parameter's address") {
        config::Config config = config::defaults();
        const time::LocalZone utc("UTC");
        auto parser = parse::make_otel_parser(utc);
        const auto r = parse_with(
            *parser, config,
            R"({"timestamp":"2025-12-17T13:19:38Z","attributes":{"http.request.method":"GET",)"
            R"("http.request.parameter.SERVICE":"WMS","http.request.parameter.url":"http://h/wms?apikey=XYZ9",)"
            R"("http.request.path":"/geoserver/wms","http.status_code":"200",)"
            R"("http.request.query-string":"SERVICE=WMS&api%6Bey=XYZ7&url=http%3A%2F%2Fh%2Fwms%3Fapikey%3DXYZ9"}})");
        REQUIRE(r.ok);
        REQUIRE(r.json.size() == 1);
        CHECK(r.json[0].find("xyz") == std::string::npos);
        CHECK(r.json[0].find("XYZ") == std::string::npos);
        CHECK(has(r.json[0], R"("url":"http://h/wms?apikey=REDACTED")"));
        CHECK(has(
            r.json[0],
            R"("request_query_string":"service=wms&url=http%3a%2f%2fh%2fwms%3fapikey%3dREDACTED")"));
    }

    TEST_CASE("helpers") {
        CHECK(enrich::app_path_of("/geoserver/myws/wms") == "/geoserver/");
        CHECK(enrich::app_path_of("/") == "/");
        CHECK(enrich::app_path_of("") == "/");
        CHECK(enrich::normalize_app_path("geoserver") == "/geoserver/");
        CHECK(enrich::normalize_app_path("/") == "/");
        CHECK(enrich::anonymize_ip("192.168.1.70") == "192.168.1.0");
        CHECK(enrich::anonymize_ip("2001:db8:1:2::5") == "2001:db8:1::");
        std::int32_t ms = 0;
        CHECK((parse::parse_response_time("1.32", "s", ms) && ms == 1320));
        CHECK((parse::parse_response_time("18ms", "s", ms) && ms == 18));
        CHECK((parse::parse_response_time("1500us", "ms", ms) && ms == 1));
        CHECK_FALSE(parse::parse_response_time("abc", "ms", ms));
    }
}

TEST_SUITE("OpenTelemetry text_message_parser") {
    TEST_CASE("without it, a gateway record has no response time or size") {
        const time::LocalZone utc("UTC");
        auto parser = parse::make_otel_parser(utc);
        const auto j = parse_one(*parser, reduced_record(netty_line));
        CHECK(j.find("response_time") == std::string::npos);
        CHECK(j.find("response_size") == std::string::npos);
    }

    TEST_CASE("the Netty line fills response time and size, id, time and attributes stay") {
        const time::LocalZone utc("UTC");
        auto parser = parse::make_otel_parser(utc, netty_regex);
        const auto j = parse_one(*parser, reduced_record(netty_line));
        CHECK(has(j, R"("response_time":312,"response_size":45123)"));
        // The span id and the nanosecond time, not the line's second.
        CHECK(has(j, R"("id":"45873ade9fe6c6ea","ts":"2025-12-17T13:19:38.491768Z")"));
        // The MDC attributes win over the line's groups.
        CHECK(has(j, R"("status_code":200)"));
        CHECK(has(j, R"("client_ip":"172.18.0.1")"));
        CHECK(has(j, R"("request_method":"GET","request_path":"/geoserver/psc/wms")"));
    }

    TEST_CASE("messages joined with newlines: the first line that matches is used") {
        const time::LocalZone utc("UTC");
        auto parser = parse::make_otel_parser(utc, netty_regex);
        const auto j = parse_one(
            *parser, reduced_record(std::string("GET /geoserver/psc/wms\\n") + netty_line));
        CHECK(has(j, R"("response_time":312,"response_size":45123)"));
    }

    TEST_CASE("a Netty record alone: the line gives the request, the record its time") {
        const time::LocalZone utc("UTC");
        auto parser = parse::make_otel_parser(utc, netty_regex);
        const std::string line =
            std::string(R"({"timestamp":"2025-12-17T13:19:38.5Z","span_id":"aa","message":")") +
            netty_line +
            R"(","scope":{"name":"reactor.netty.http.server.AccessLog"},"attributes":{"thread.name":"reactor-http-epoll-1"}})";
        const auto j = parse_one(*parser, line);
        CHECK(has(j, R"("id":"aa","ts":"2025-12-17T13:19:38.500000Z")"));
        CHECK(has(j, R"("response_time":312)"));
        CHECK(has(j, R"("status_code":500)"));
        CHECK(has(j, R"("client_ip":"10.0.0.9")"));
        // Without the regex the same record has no request at all.
        auto plain = parse::make_otel_parser(utc);
        parse::ParsedBatch batch;
        std::string reason;
        CHECK_FALSE(plain->parse(line, batch, reason));
        CHECK(reason == "OTel record without HTTP request attributes");
    }

    TEST_CASE("a record without a time takes the line's, a line that does not match adds nothing") {
        const time::LocalZone utc("UTC");
        auto parser = parse::make_otel_parser(utc, netty_regex);
        std::string record = reduced_record(netty_line);
        record.erase(record.find(R"("timestamp":"2025-12-17T13:19:38.491768632Z",)"),
                     std::string(R"("timestamp":"2025-12-17T13:19:38.491768632Z",)").size());
        CHECK(has(parse_one(*parser, record), R"("ts":"2025-12-17T13:19:39Z")"));
        const auto j = parse_one(*parser, reduced_record("not an access-log line"));
        CHECK(j.find("response_time") == std::string::npos);
        CHECK(has(j, R"("status_code":200)"));
    }
}
