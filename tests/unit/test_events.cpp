#include <analytics/parse/event_json.hpp>
#include <analytics/parse/events.hpp>
#include <analytics/time/timestamp.hpp>

#include <doctest/doctest.h>

#include <string>

using analytics::parse::append_json;
using analytics::parse::BeaconBatch;
using analytics::parse::EventsParser;
using analytics::time::format_iso_utc;
using analytics::time::LocalZone;

namespace {

// Parses one line in UTC; fails the test when the line is refused.
BeaconBatch parse_ok(std::string_view line, const std::string& zone = "UTC") {
    EventsParser parser{LocalZone{zone}};
    BeaconBatch batch;
    std::string reason;
    const bool ok = parser.parse(line, batch, reason);
    INFO(reason);
    CHECK(ok);
    CHECK(reason.empty());
    return batch;
}

// The reason a line is refused ("" when it is not).
std::string refusal(std::string_view line) {
    EventsParser parser{LocalZone{"UTC"}};
    BeaconBatch batch;
    batch.warnings.emplace_back("stale");
    std::string reason;
    if (parser.parse(line, batch, reason)) {
        return "";
    }
    CHECK(batch.rows() == 0);
    CHECK(batch.warnings.empty());
    return reason;
}

// A wrapper line with the given headers (JSON object text) around body.
std::string wrapped(const std::string& headers, const std::string& body,
                    const std::string& received_at = "2026-11-22T03:00:00.000Z") {
    return R"({"received_at":")" + received_at + R"(","headers":)" + headers + R"(,"body":)" +
           body + "}";
}

bool has_warning(const BeaconBatch& batch, std::string_view text) {
    for (const auto& w : batch.warnings) {
        if (w.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

template <class Row>
std::string json_of(const Row& row) {
    std::string out;
    append_json(out, row);
    return out;
}

// test_analytics_events_endpoint_queues_normalized_batch (btaa §7).
const std::string endpoint_headers = R"({"Content-Type":"text/plain;charset=UTF-8",
    "Origin":"https://geo.btaa.org","X-Visit-Token":"visit-123",
    "X-BTAA-Client-Name":"geoportal-web","X-BTAA-Client-Version":"test-build",
    "X-BTAA-Client-Channel":"browser"})";
const std::string endpoint_body =
    R"({"searches":[{"search_id":"search_123","query":"maps","page":1,"per_page":10,)"
    R"("results_count":2,"zero_results":false}],)"
    R"("impressions":[{"search_id":"search_123","resource_id":"stanford-abc123","rank":1,)"
    R"("page":1,"view":"list"}],)"
    R"("events":[{"event_id":"event_123","event_type":"result_click","search_id":"search_123",)"
    R"("resource_id":"stanford-abc123","rank":1}]})";

void check_endpoint_batch(const BeaconBatch& b) {
    REQUIRE(b.searches.size() == 1);
    REQUIRE(b.impressions.size() == 1);
    REQUIRE(b.events.size() == 1);
    CHECK(b.rejects.empty());
    CHECK(b.warnings.empty());
    const auto& s = b.searches[0];
    CHECK(s.search_id == "search_123");
    CHECK(s.visit_token == "visit-123");
    CHECK(s.client_name == "geoportal-web");
    CHECK(s.client_version == "test-build");
    CHECK(s.client_channel == "browser");
    CHECK_FALSE(s.client_instance);
    CHECK(s.source_host == "geo.btaa.org");
    CHECK(s.query == "maps");
    CHECK(s.page == 1);
    CHECK(s.per_page == 10);
    CHECK(s.results_count == 2);
    CHECK_FALSE(s.zero_results);
    CHECK(format_iso_utc(s.occurred_at_us) == "2026-11-22T03:00:00Z"); // received_at
    const auto& i = b.impressions[0];
    CHECK(i.visit_token == "visit-123");
    CHECK(i.resource_id == "stanford-abc123");
    CHECK(i.rank == 1);
    CHECK(i.page == 1);
    CHECK(i.view == "list");
    const auto& e = b.events[0];
    CHECK(e.client_name == "geoportal-web");
    CHECK(e.event_type == "result_click");
    CHECK(e.search_id == "search_123");
    CHECK(e.rank == 1);
    CHECK(e.source_host == "geo.btaa.org");
}

} // namespace

TEST_SUITE("events parser") {
    TEST_CASE("BTAA endpoint test payload, wrapped with its headers") {
        check_endpoint_batch(parse_ok(wrapped(endpoint_headers, endpoint_body)));
    }

    TEST_CASE("a body sent as a JSON string, and lower-case header names") {
        std::string body_string = "\"";
        for (char c : endpoint_body) {
            body_string += c == '"' ? std::string("\\\"") : std::string(1, c);
        }
        body_string += '"';
        std::string headers = endpoint_headers;
        for (auto& c : headers) {
            c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
        check_endpoint_batch(parse_ok(wrapped(headers, body_string)));
    }

    TEST_CASE("BTAA CLI command payload") {
        const auto b = parse_ok(wrapped(
            R"({"X-BTAA-Client-Name":"btaa-geo-api-cli","X-BTAA-Client-Version":"0.1.0",
                "X-BTAA-Client-Channel":"cli","X-BTAA-Client-Instance":"instance-1"})",
            R"({"events":[{"event_id":"event-1","event_type":"cli.command.search",
                           "properties":{"command":"search"}}],
                "searches":[{"search_id":"search-1","query":"water","view":"cli",
                             "results_count":1}]})"));
        REQUIRE(b.events.size() == 1);
        REQUIRE(b.searches.size() == 1);
        CHECK(b.events[0].event_type == "cli.command.search");
        CHECK(b.events[0].client_name == "btaa-geo-api-cli");
        CHECK(b.events[0].client_instance == "instance-1");
        CHECK(b.events[0].properties == R"({"command":"search"})");
        CHECK_FALSE(b.events[0].visit_token);
        CHECK_FALSE(b.events[0].source_host);
        CHECK(b.searches[0].client_channel == "cli");
        CHECK(b.searches[0].client_version == "0.1.0");
        CHECK(b.searches[0].results_count == 1);
    }

    TEST_CASE("storage tasks 1-3: naive occurred_at read in the configured zone") {
        const auto b = parse_ok(
            R"({"searches":[{"search_id":"search-123","occurred_at":"2026-04-23T17:42:10",
                             "results_count":12}],
                "impressions":[{"search_id":"search-123","resource_id":"stanford-abc123",
                                "rank":1,"occurred_at":"2026-04-23T17:42:10"}],
                "events":[{"event_id":"event-123","event_type":"resource_view",
                           "occurred_at":"2026-04-23T17:42:10"}]})");
        REQUIRE(b.rows() == 3);
        CHECK(format_iso_utc(b.searches[0].occurred_at_us) == "2026-04-23T17:42:10Z");
        CHECK(b.searches[0].results_count == 12);
        CHECK(format_iso_utc(b.impressions[0].occurred_at_us) == "2026-04-23T17:42:10Z");
        CHECK(format_iso_utc(b.events[0].occurred_at_us) == "2026-04-23T17:42:10Z");

        const auto chicago = parse_ok(
            R"({"events":[{"event_id":"e","event_type":"t","occurred_at":"2026-04-23T17:42:10"}]})",
            "America/Chicago");
        REQUIRE(chicago.events.size() == 1);
        CHECK(format_iso_utc(chicago.events[0].occurred_at_us) == "2026-04-23T22:42:10Z");
    }

    TEST_CASE("an offset is converted to UTC (the month follows the UTC time, bug 7)") {
        const auto b = parse_ok(R"({"events":[{"event_id":"e","event_type":"t",
                                    "occurred_at":"2026-11-30T22:00:00-05:00"}]})");
        REQUIRE(b.events.size() == 1);
        CHECK(format_iso_utc(b.events[0].occurred_at_us) == "2026-12-01T03:00:00Z");
    }

    TEST_CASE("occurred_at: own value first, then received_at, never now") {
        const auto b = parse_ok(
            wrapped("{}", R"({"events":[{"event_id":"a","event_type":"t","occurred_at":null},
                                {"event_id":"b","event_type":"t","occurred_at":"2026-01-02T03:04:05.5Z"},
                                {"event_id":"c","event_type":"t","occurred_at":"yesterday"},
                                {"event_id":"d","event_type":"t","occurred_at":1700000000}]})"));
        REQUIRE(b.events.size() == 2);
        CHECK(format_iso_utc(b.events[0].occurred_at_us) == "2026-11-22T03:00:00Z");
        CHECK(format_iso_utc(b.events[1].occurred_at_us) == "2026-01-02T03:04:05.500000Z");
        REQUIRE(b.rejects.size() == 2);
        CHECK(b.rejects[0].reason == R"(events[2]: invalid occurred_at "yesterday")");
        CHECK(b.rejects[1].reason == "events[3]: invalid occurred_at 1700000000");

        const auto bare = parse_ok(R"({"events":[{"event_id":"a","event_type":"t"}]})");
        REQUIRE(bare.rejects.size() == 1);
        CHECK(bare.rejects[0].table == "events");
        CHECK(bare.rejects[0].reason == "events[0]: missing occurred_at");

        const auto bad_received =
            parse_ok(wrapped("{}", R"({"events":[{"event_id":"a","event_type":"t"}]})", "soon"));
        CHECK(bad_received.events.empty());
        CHECK(bad_received.rejects.size() == 1);
        CHECK(has_warning(bad_received, R"(received_at: "soon" is not a valid timestamp)"));
    }

    TEST_CASE("zero_results: the string false is false (BTAA stored true)") {
        const auto b = parse_ok(wrapped("{}", R"({"searches":[
            {"search_id":"1","zero_results":"false"},{"search_id":"2","zero_results":"TRUE"},
            {"search_id":"3","zero_results":"no"},{"search_id":"4","zero_results":1},
            {"search_id":"5","zero_results":"maybe"},{"search_id":"6"},
            {"search_id":"7","zero_results":true},{"search_id":"8","zero_results":"1"}]})"));
        REQUIRE(b.searches.size() == 8);
        CHECK_FALSE(b.searches[0].zero_results);
        CHECK(b.searches[1].zero_results);
        CHECK_FALSE(b.searches[2].zero_results);
        CHECK(b.searches[3].zero_results);
        CHECK_FALSE(b.searches[4].zero_results);
        CHECK_FALSE(b.searches[5].zero_results);
        CHECK(b.searches[6].zero_results);
        CHECK(b.searches[7].zero_results);
        REQUIRE(b.warnings.size() == 1);
        CHECK(b.warnings[0] ==
              R"(searches[4]: zero_results: "maybe" is not a boolean; stored as false)");
    }

    TEST_CASE("list values that are null or not arrays never fail the line (bug 12)") {
        const auto null_list = parse_ok(R"({"searches":null})");
        CHECK(null_list.rows() == 0);
        CHECK(null_list.warnings.empty());
        CHECK(null_list.rejects.empty());

        const auto number =
            parse_ok(wrapped("{}", R"({"events":5,"searches":"abc","impressions":{"a":1}})"));
        CHECK(number.rows() == 0);
        CHECK(number.rejects.empty());
        REQUIRE(number.warnings.size() == 3);
        CHECK(number.warnings[0] == R"(searches: expected an array, got "abc"; ignored)");
        CHECK(number.warnings[1] == "impressions: expected an array, got an object; ignored");
        CHECK(number.warnings[2] == "events: expected an array, got 5; ignored");

        const auto empty = parse_ok("{}");
        CHECK(empty.rows() == 0);
    }

    TEST_CASE("non-object elements are rejected one by one") {
        const auto b = parse_ok(
            wrapped("{}", R"({"searches":[{"search_id":"a"},{"search_id":"b"},"x",null,[1]]})"));
        CHECK(b.searches.size() == 2);
        REQUIRE(b.rejects.size() == 3);
        CHECK(b.rejects[0].table == "searches");
        CHECK(b.rejects[0].index == 2);
        CHECK(b.rejects[0].reason == "searches[2]: not a JSON object");
        CHECK(b.rejects[2].reason == "searches[4]: not a JSON object");
    }

    TEST_CASE("a bad rank rejects its impression only") {
        const auto b = parse_ok(wrapped("{}", R"({"searches":[{"search_id":"s"}],
                      "impressions":[{"search_id":"s","resource_id":"r1","rank":1},
                                     {"search_id":"s","resource_id":"r2","rank":"abc"},
                                     {"search_id":"s","resource_id":"r3","rank":"3"},
                                     {"search_id":"s","resource_id":"r4","rank":4.0},
                                     {"search_id":"s","resource_id":"r5"},
                                     {"search_id":"s","resource_id":"r6","rank":2147483648}],
                      "events":[{"event_id":"e","event_type":"t"}]})"));
        CHECK(b.searches.size() == 1);
        CHECK(b.events.size() == 1);
        REQUIRE(b.impressions.size() == 3);
        CHECK(b.impressions[0].rank == 1);
        CHECK(b.impressions[1].rank == 3);
        CHECK(b.impressions[2].rank == 4);
        REQUIRE(b.rejects.size() == 3);
        CHECK(b.rejects[0].table == "search_impressions");
        CHECK(b.rejects[0].index == 1);
        CHECK(b.rejects[0].reason == R"(impressions[1]: invalid rank "abc" (not an integer))");
        CHECK(b.rejects[1].reason == "impressions[4]: missing rank");
        CHECK(b.rejects[2].reason == "impressions[5]: invalid rank 2147483648 (out of range)");
    }

    TEST_CASE("optional integers: invalid values become NULL with a warning") {
        const auto b = parse_ok(wrapped("{}", R"({"searches":[{"search_id":"s","page":2.5,
            "per_page":"20","total_pages":true,"results_count":"x"},
            {"search_id":"t","page":"-3","per_page":-2147483649,"total_pages":3.0,
             "results_count":"9000000000"}]})"));
        REQUIRE(b.searches.size() == 2);
        const auto& s = b.searches[0];
        CHECK_FALSE(s.page);
        CHECK(s.per_page == 20);
        CHECK_FALSE(s.total_pages);
        CHECK(s.results_count == 0);
        CHECK(has_warning(b, "searches[0]: page: 2.5 is not an integer; stored as NULL"));
        CHECK(has_warning(b, "searches[0]: total_pages: true is not an integer; stored as NULL"));
        CHECK(has_warning(b, R"(searches[0]: results_count: "x" is not an integer; stored as 0)"));
        const auto& t = b.searches[1];
        CHECK(t.page == -3);
        CHECK_FALSE(t.per_page);
        CHECK(t.total_pages == 3);
        CHECK(t.results_count == 9000000000);
        CHECK(has_warning(b, "searches[1]: per_page: -2147483649 is out of range; stored as NULL"));
        CHECK(b.warnings.size() == 4);
    }

    TEST_CASE("required ids: missing, empty or not a string rejects the row") {
        const auto b = parse_ok(wrapped("{}", R"({"events":[{"event_type":"t"},
            {"event_id":123,"event_type":"t"},{"event_id":"","event_type":"t"},
            {"event_id":"e"},{"event_id":"ok","event_type":"t"}],
            "impressions":[{"search_id":"s","rank":1}]})"));
        REQUIRE(b.events.size() == 1);
        CHECK(b.events[0].event_id == "ok");
        REQUIRE(b.rejects.size() == 5);
        CHECK(b.rejects[0].reason == "impressions[0]: missing resource_id");
        CHECK(b.rejects[1].reason == "events[0]: missing event_id");
        CHECK(b.rejects[2].reason == "events[1]: invalid event_id 123 (not a string)");
        CHECK(b.rejects[3].reason == "events[2]: missing event_id");
        CHECK(b.rejects[4].reason == "events[3]: missing event_type");
    }

    TEST_CASE("strings are truncated to the column length in code points") {
        std::string token;
        for (int i = 0; i < 100; ++i) {
            token += "aé€"; // 1 + 2 + 3 bytes
        }
        const auto b = parse_ok(wrapped(R"({"X-Visit-Token":")" + token + R"("})",
                                        R"({"events":[{"event_id":"e","event_type":"t"}]})"));
        REQUIRE(b.events.size() == 1);
        const auto& v = *b.events[0].visit_token;
        CHECK(v.size() == 85 * 6); // 255 code points = 85 × "aé€"
        CHECK(v == token.substr(0, 85 * 6));
        CHECK(b.warnings ==
              std::vector<std::string>{"events[0]: visit_token: truncated to 255 characters"});

        const auto cut =
            parse_ok(wrapped("{}", R"({"events":[{"event_id":"e","event_type":"t","view":")" +
                                       std::string(49, 'x') + R"(€€"}]})"));
        CHECK(cut.events[0].view == std::string(49, 'x') + "€");
    }

    TEST_CASE("header defaults apply to missing or null keys only") {
        const auto b = parse_ok(wrapped(
            R"({"X-BTAA-Client-Name":"geoportal-web","X-Visit-Token":"v",
                "Origin":"null","Referer":"https://user:pw@maps.example.org:8443/p?q=1"})",
            R"({"searches":[{"search_id":"a","client_name":""},
                            {"search_id":"b","client_name":null,"source_host":"own.host"},
                            {"search_id":"c","client_name":7}]})"));
        REQUIRE(b.searches.size() == 3);
        CHECK_FALSE(b.searches[0].client_name);
        CHECK(b.searches[0].visit_token == "v");
        CHECK(b.searches[0].source_host == "maps.example.org:8443");
        CHECK(b.searches[1].client_name == "geoportal-web");
        CHECK(b.searches[1].source_host == "own.host");
        CHECK_FALSE(b.searches[2].client_name);
        CHECK(b.warnings ==
              std::vector<std::string>{
                  "searches[2]: client_name: expected a string, got 7; stored as NULL"});
    }

    TEST_CASE("source_host: the first of Origin, Referer, Referrer with a host") {
        auto host = [](const std::string& headers) {
            const auto b =
                parse_ok(wrapped(headers, R"({"events":[{"event_id":"e","event_type":"t"}]})"));
            return b.events.at(0).source_host.value_or("<none>");
        };
        CHECK(host(R"({"Origin":"null","Referrer":"http://b.org/x"})") == "b.org");
        CHECK(host(R"({"origin":"https://A.org","referer":"http://b.org/"})") == "A.org");
        CHECK(host(R"({"Referer":"/relative/path","Referrer":"//c.org?x"})") == "c.org");
        CHECK(host(R"({"Origin":""})") == "<none>");
        CHECK(host(R"({"Origin":5})") == "<none>");
    }

    TEST_CASE("properties: objects and arrays kept compact, secrets removed") {
        const auto b = parse_ok(wrapped("{}", R"({"events":[
            {"event_id":"e1","event_type":"cli.command.download",
             "properties":{"api_key":"secret","output_path":"/tmp/private/file","bytes":10}},
            {"event_id":"e2","event_type":"t","properties":{"Token":"x","n":[1, 2.5, true, null],
             "params":{"q":"water","API-KEY":"k","nested":{"password":"kept"}},
             "other":{"password":"kept too"}}},
            {"event_id":"e3","event_type":"t","properties":[{"api_key":"in an array"}]},
            {"event_id":"e4","event_type":"t","properties":"text"},
            {"event_id":"e5","event_type":"t","properties":{"s":"a\u0000b"}}]})"));
        REQUIRE(b.events.size() == 5);
        CHECK(b.events[0].properties == R"({"bytes":10})");
        CHECK(b.events[1].properties ==
              R"({"n":[1,2.5,true,null],"params":{"q":"water","nested":{"password":"kept"}},)"
              R"("other":{"password":"kept too"}})");
        CHECK(b.events[2].properties == R"([{"api_key":"in an array"}])");
        CHECK_FALSE(b.events[3].properties);
        CHECK(b.events[4].properties == R"({"s":"ab"})");
        CHECK(has_warning(b, R"(events[3]: properties: "text" is not an object or array)"));
        CHECK(has_warning(b, "events[4]: properties: NUL characters removed"));
    }

    TEST_CASE("address columns lose their secret parameters and credentials, as a referrer does") {
        const auto b = parse_ok(wrapped("{}", R"({"searches":[{"search_id":"s",
            "search_url":"/search?q=water&API_KEY=k1&x=%2Fa","results_count":1}],
            "events":[{"event_id":"e1","event_type":"t","destination_url":"https://h/dl?tok%65n=k2#f"},
            {"event_id":"e2","event_type":"t","destination_url":"?sig=k3"},
            {"event_id":"e3","event_type":"t","destination_url":"https://h/?next=%2Fa%3Ftoken%3Dk4&&b"},
            {"event_id":"e4","event_type":"t","destination_url":"ftp://u:k5@h/f"}]})"));
        REQUIRE(b.searches.size() == 1);
        REQUIRE(b.events.size() == 4);
        CHECK(b.events[3].destination_url == "ftp://h/f");
        CHECK(b.searches[0].search_url == "/search?q=water&x=%2Fa");
        CHECK(b.events[0].destination_url == "https://h/dl#f");
        CHECK_FALSE(b.events[1].destination_url);
        CHECK(b.events[2].destination_url == "https://h/?next=%2Fa%3Ftoken%3DREDACTED&&b");
    }

    TEST_CASE("lines that cannot be used at all") {
        CHECK(refusal("not json").rfind("invalid JSON: ", 0) == 0);
        CHECK(refusal("").rfind("invalid JSON: ", 0) == 0);
        CHECK(refusal("[1,2]") == "payload is not a JSON object");
        CHECK(refusal(R"({"headers":{},"body":[1]})") == "body: payload is not a JSON object");
        CHECK(refusal(R"({"headers":{}})") == "wrapper without a body");
        CHECK(refusal(R"({"body":"{oops"})").rfind("body: invalid JSON: ", 0) == 0);
        CHECK(refusal(R"({"body":"42"})") == "body: payload is not a JSON object");
        CHECK(refusal(std::string(5000, '[') + std::string(5000, ']')).find("too deep") !=
              std::string::npos);
        CHECK(refusal("{\"searches\":[{\"search_id\":\"\xff\"}]}").find("UTF-8") !=
              std::string::npos);
        CHECK(refusal(std::string("{\"a\":\"x\0y\"}", 11)).rfind("invalid JSON: ", 0) == 0);
        CHECK(refusal(std::string("{}\0", 3)).rfind("invalid JSON: ", 0) == 0);
    }

    TEST_CASE("odd but harmless lines") {
        const auto empty_body = parse_ok(R"({"headers":{},"body":"  "})");
        CHECK(empty_body.rows() == 0);
        CHECK(has_warning(empty_body, "body: empty"));

        const auto bad_headers = parse_ok(R"({"headers":[1],"body":{}})");
        CHECK(has_warning(bad_headers, "headers: expected an object, got an array; ignored"));

        const auto nul = parse_ok(
            wrapped("{}", R"({"events":[{"event_id":"e","event_type":"t","label":"a\u0000b"}]})"));
        CHECK(nul.events.at(0).label == "ab");
        CHECK(has_warning(nul, "events[0]: label: NUL characters removed"));

        // A 1 MB line: one long query, cut to 5000 characters.
        const auto big = parse_ok(wrapped("{}", R"({"searches":[{"search_id":"s","query":")" +
                                                    std::string(1 << 20, 'q') + R"("}]})"));
        CHECK(big.searches.at(0).query->size() == 5000);

        // Deep but within simdjson's limit: properties are copied whole.
        const auto deep =
            parse_ok(wrapped("{}", R"({"events":[{"event_id":"e","event_type":"t","properties":)" +
                                       std::string(1000, '[') + std::string(1000, ']') + "}]}"));
        CHECK(deep.events.at(0).properties->size() == 2000);
    }

    TEST_CASE("the parser is reusable: each line starts from a clean batch") {
        EventsParser parser{LocalZone{"UTC"}};
        BeaconBatch batch;
        std::string reason;
        CHECK(parser.parse(wrapped("{}", endpoint_body), batch, reason));
        CHECK(batch.rows() == 3);
        CHECK_FALSE(parser.parse("nope", batch, reason));
        CHECK(batch.rows() == 0);
        CHECK(parser.parse(R"({"events":7})", batch, reason));
        CHECK(reason.empty());
        CHECK(batch.warnings.size() == 1);
    }

    TEST_CASE("JSON output: table first, columns in table order, NULLs left out") {
        const auto b = parse_ok(wrapped(endpoint_headers, endpoint_body));
        CHECK(
            json_of(b.searches.at(0)) ==
            R"({"table":"searches","search_id":"search_123","occurred_at":"2026-11-22T03:00:00Z",)"
            R"("visit_token":"visit-123","client_name":"geoportal-web",)"
            R"("client_version":"test-build","client_channel":"browser",)"
            R"("source_host":"geo.btaa.org","query":"maps","page":1,"per_page":10,)"
            R"("results_count":2,"zero_results":false})");
        CHECK(json_of(b.impressions.at(0)) ==
              R"({"table":"search_impressions","search_id":"search_123",)"
              R"("occurred_at":"2026-11-22T03:00:00Z","visit_token":"visit-123",)"
              R"("resource_id":"stanford-abc123","rank":1,"page":1,"view":"list"})");
        CHECK(json_of(b.events.at(0)) ==
              R"({"table":"events","event_id":"event_123","occurred_at":"2026-11-22T03:00:00Z",)"
              R"("event_type":"result_click","visit_token":"visit-123",)"
              R"("search_id":"search_123","resource_id":"stanford-abc123",)"
              R"("client_name":"geoportal-web","client_version":"test-build",)"
              R"("client_channel":"browser","source_host":"geo.btaa.org","rank":1})");

        const auto full = parse_ok(
            R"({"events":[{"event_id":"e\"1","event_type":"download_click","page":2,"view":"map",
                "label":"tab\there","destination_url":"https://x.org/a?b=c",
                "source_component":"LinksTable","occurred_at":"2026-03-01T00:00:00.25+01:00",
                "properties":{"k":[1,"two"]}}],
                "searches":[{"search_id":"s","search_url":"/search?q=x","sort":"score",
                "search_field":"all","total_pages":4,"zero_results":"yes","occurred_at":"2026-03-01",
                "properties":{"constraints":{}}}]})");
        CHECK(json_of(full.events.at(0)) ==
              R"({"table":"events","event_id":"e\"1","occurred_at":"2026-02-28T23:00:00.250000Z",)"
              R"("event_type":"download_click","page":2,"view":"map","label":"tab\there",)"
              R"("destination_url":"https://x.org/a?b=c","source_component":"LinksTable",)"
              R"("properties":{"k":[1,"two"]}})");
        CHECK(json_of(full.searches.at(0)) ==
              R"({"table":"searches","search_id":"s","occurred_at":"2026-03-01T00:00:00Z",)"
              R"("search_url":"/search?q=x","sort":"score","search_field":"all",)"
              R"("results_count":0,"total_pages":4,"zero_results":true,)"
              R"("properties":{"constraints":{}}})");
    }
}
