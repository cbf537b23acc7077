// Every OpenTelemetry attribute and header name reaches its field (the names
// are looked up by size in one table: a name in the wrong place goes nowhere).

#include <analytics/parse/otel_attributes.hpp>

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

using namespace analytics;

namespace {

parse::ParsedRecord applied(const std::vector<std::pair<std::string, std::string>>& attributes,
                            bool* has_http = nullptr) {
    parse::ParsedRecord item;
    parse::OtelAttributes reader;
    reader.start(item);
    for (const auto& [key, value] : attributes) {
        reader.apply(key, value);
    }
    const bool http = reader.finish();
    if (has_http != nullptr) {
        *has_http = http;
    }
    return item;
}

} // namespace

TEST_SUITE("otel attributes") {
    TEST_CASE("gateway names") {
        bool http = false;
        const auto item = applied({{"http.request.path", "/geoserver/ows"},
                                   {"http.request.query-string", "service=WMS"},
                                   {"http.request.method", "get"},
                                   {"http.status_code", "200"},
                                   {"http.response.duration_ms", "12.0"},
                                   {"http.response.body.size_bytes", "345"},
                                   {"server.address", "geo.example.org"},
                                   {"http.request.remote-addr", "172.18.0.1/<unresolved>:42032"},
                                   {"enduser.uuid", "u-1"},
                                   {"enduser.id", "alice"},
                                   {"enduser.org.uuid", "o-1"},
                                   {"enduser.org.id", "psc"},
                                   {"enduser.auth-method", "basic"},
                                   {"enduser.roles", "ROLE_A,ROLE_B"},
                                   {"app_path_is_root", "Yes"},
                                   {"http.request.parameter.LAYERS", "roads"}},
                                  &http);
        const auto& r = item.record;
        CHECK(http);
        CHECK(r.request_path.value() == "/geoserver/ows");
        CHECK(r.request_query_string.value() == "service=WMS");
        CHECK(r.request_method.value() == "GET");
        CHECK(r.status_code.value == 200);
        CHECK(r.response_time.value == 12);
        CHECK(r.response_size.value == 345);
        CHECK(r.server_address.value() == "geo.example.org");
        CHECK(r.client_ip.value() == "172.18.0.1");
        CHECK(r.user_id.value() == "u-1");
        CHECK(r.user_name.value() == "alice");
        CHECK(r.org_id.value() == "o-1");
        CHECK(r.org_name.value() == "psc");
        CHECK(r.auth_method.value() == "basic");
        CHECK(r.roles.items == std::vector<std::string>{"ROLE_A", "ROLE_B"});
        CHECK(item.extras.app_path_is_root);
        CHECK(item.extras.explicit_params);
        CHECK(*r.request_details.find_string("layers") == "roads");
    }

    TEST_CASE("semantic-convention names") {
        bool http = false;
        const auto item = applied({{"url.full", "https://geo.example.org/wms?request=GetMap"},
                                   {"http.response.status_code", "404"},
                                   {"http.response.body.size", "7"},
                                   {"client.address", "2001:db8::1"},
                                   {"user_agent.original", "QGIS/34000"}},
                                  &http);
        const auto& r = item.record;
        CHECK(http);
        CHECK(r.request_path.value() == "/wms");
        CHECK(r.request_query_string.value() == "request=GetMap");
        CHECK(r.server_address.value() == "geo.example.org");
        CHECK(r.status_code.value == 404);
        CHECK(r.response_size.value == 7);
        CHECK(r.client_ip.value() == "2001:db8::1");
        CHECK(r.user_agent.value() == "QGIS/34000");
        const auto paths = applied({{"url.path", "/a"}, {"url.query", "b=1"}});
        CHECK(paths.record.request_path.value() == "/a");
        CHECK(paths.record.request_query_string.value() == "b=1");
    }

    TEST_CASE("request headers, in any case") {
        const auto item = applied({{"http.request.header.user-agent", "curl/8.0"},
                                   {"http.request.header.REFERRER", "https://a.example/"},
                                   {"http.request.header.x-forwarded-for", "1.2.3.4"},
                                   {"http.request.header.X-Real-Ip", "5.6.7.8"},
                                   {"http.request.header.origin", "https://b.example"},
                                   {"http.request.header.X-Visit-Token", "v-1"},
                                   {"http.request.header.X-BTAA-Client-Name", "geoportal"},
                                   {"http.request.header.X-BTAA-Client-Version", "2.1"},
                                   {"http.request.header.X-BTAA-Client-Channel", "web"},
                                   {"http.request.header.X-BTAA-Client-Instance", "umn"},
                                   {"http.request.header.Accept", "text/html"}});
        const auto& r = item.record;
        CHECK(r.user_agent.value() == "curl/8.0");
        CHECK(r.referrer.value() == "https://a.example/");
        CHECK(item.extras.forwarded_for == "1.2.3.4");
        CHECK(item.extras.real_ip == "5.6.7.8");
        CHECK(item.extras.origin == "https://b.example");
        CHECK(r.visit_token.value() == "v-1");
        CHECK(r.client_name.value() == "geoportal");
        CHECK(r.client_version.value() == "2.1");
        CHECK(r.client_channel.value() == "web");
        CHECK(r.client_instance.value() == "umn");
        CHECK(applied({{"http.request.header.Referer", "https://c.example/"}})
                  .record.referrer.value() == "https://c.example/");
    }

    TEST_CASE("names that are not read set nothing") {
        bool http = true;
        const auto item = applied({{"HTTP.REQUEST.PATH", "/x"}, // attribute names keep their case
                                   {"User-Agent", "curl/8.0"},  // a header name without its prefix
                                   {"http.request.header.", "x"},
                                   {"http.request.pathx", "/y"},
                                   {"", ""}},
                                  &http);
        CHECK_FALSE(http);
        CHECK(item.record.request_path.is_null());
        CHECK(item.record.user_agent.is_null());
    }

    TEST_CASE("numbers out of range or not numbers are NULL, with a reason") {
        const auto item = applied({{"http.status_code", "2e10"},
                                   {"http.response.duration_ms", "fast"},
                                   {"http.response.body.size", " "}});
        CHECK(item.record.status_code.null);
        CHECK(item.record.response_time.null);
        CHECK(item.record.response_size.null);
        CHECK(item.extras.null_reasons.size() == 2);
        // Plain digits and the general path agree at the edges.
        const auto edges = applied({{"http.status_code", "2147483647"},
                                    {"http.response.duration_ms", "2147483648"},
                                    {"http.response.body.size", " 0999999999999999 "}});
        CHECK(edges.record.status_code.value == 2147483647);
        CHECK(edges.record.response_time.null);
        CHECK(edges.record.response_size.value == 999999999999999);
        const auto negative = applied({{"http.status_code", "-2147483648"},
                                       {"http.response.duration_ms", "-2147483649"},
                                       {"http.response.body.size", "-42"}});
        CHECK(negative.record.status_code.value == -2147483647 - 1);
        CHECK(negative.record.response_time.null);
        CHECK(negative.record.response_size.value == -42);
        const auto large = applied({{"http.response.body.size", "1234567890123456789"}});
        CHECK(large.record.response_size.value == 1234567890123456768); // read as a double
    }
}
