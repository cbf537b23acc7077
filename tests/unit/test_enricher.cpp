// The enricher's bounds and privacy rules on hostile input (issue 15): many
// or huge query parameters, over-long text, secrets in every place a line
// may carry them.

#include <analytics/config/config.hpp>
#include <analytics/config/loader.hpp>
#include <analytics/enrich/enricher.hpp>
#include <analytics/enrich/rejected_text.hpp>
#include <analytics/parse/access_parser.hpp>
#include <analytics/record/text_widths.hpp>
#include <analytics/time/local_zone.hpp>
#include <analytics/util/privacy.hpp>

#include <doctest/doctest.h>

#include <string>
#include <utility>

using namespace analytics;

namespace {

struct Enriched {
    record::AccessRecord record;
    enrich::EnrichWarnings warnings;
};

Enriched enrich_combined(const std::string& target, const std::string& referrer = "-",
                         const config::Config& config = config::defaults()) {
    auto parser = parse::make_clf_parser(parse::TextVariant::combined, config);
    enrich::Enricher enricher(config, nullptr);
    parse::ParsedBatch batch;
    std::string reason;
    const std::string line = "1.2.3.4 - - [01/Mar/2026:10:00:00 +0000] \"GET " + target +
                             " HTTP/1.1\" 200 5 \"" + referrer + "\" \"curl/8\"";
    REQUIRE(parser->parse(line, batch, reason));
    Enriched out;
    enricher.enrich(batch[0].record, batch[0].extras, out.warnings);
    out.record = batch[0].record;
    return out;
}

std::string many_parameters(std::size_t n) {
    std::string query;
    for (std::size_t i = 0; i < n; ++i) {
        query += (i == 0 ? "" : "&") + std::string("k") + std::to_string(i) + "=v";
    }
    return query;
}

} // namespace

TEST_SUITE("enricher") {
    TEST_CASE("a line with 200,000 parameters keeps the first 256, and says so") {
        // Quadratic before: 242 s for this line. Linear now; CTest's timeout bounds it.
        const Enriched e = enrich_combined("/geoserver/wms?" + many_parameters(200'000));
        const record::JsonObject& details = e.record.request_details;
        CHECK(details.find("k0") != nullptr);
        CHECK(details.find("k255") != nullptr);
        CHECK(details.find("k256") == nullptr);
        CHECK(details.size() <= enrich::max_request_parameters);
        CHECK(e.warnings.counts.at(enrich::parameters_not_kept) == 1);
        // The raw query string is cut to its width, on a character boundary.
        CHECK(e.record.request_query_string.value().size() ==
              record::text_width_of("request_query_string"));
        CHECK(e.warnings.counts.count("over-long request_query_string cut to 8000 characters") ==
              1);
    }

    TEST_CASE("a 10 MB parameter value is stored cut, with a warning") {
        const Enriched e = enrich_combined("/api/x?q=" + std::string(10'000'000, 'a') + "&f=json");
        REQUIRE(e.record.request_details.find_string("q") != nullptr);
        CHECK(e.record.request_details.find_string("q")->size() ==
              enrich::max_request_parameter_value);
        CHECK(*e.record.request_details.find_string("f") == "json");
        CHECK(e.warnings.counts.at(enrich::parameter_values_cut) == 1);
        CHECK(e.record.request_query_string.value().size() <= 8000);
    }

    TEST_CASE("every text column is cut to its width") {
        const Enriched e = enrich_combined("/" + std::string(5000, 'p'));
        CHECK(e.record.request_path.value().size() == record::text_width_of("request_path"));
        CHECK(e.warnings.counts.count("over-long request_path cut to 2000 characters") == 1);
    }

    TEST_CASE("secret parameters: the new names, and names hidden by percent-encoding") {
        const Enriched e = enrich_combined(
            "/geoserver/wms?service=WMS&x-api-key=S1&id_token=S2&refresh_token=S3&sig=S4"
            "&signature=S5&session=S6&api_key%00=S7&API%5fKEY=S8&layers=a");
        std::string all = e.record.request_query_string.value();
        for (const auto& entry : e.record.request_details) {
            all += " " + entry.key + "=" + entry.text;
        }
        for (const char* secret : {"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"}) {
            CAPTURE(secret);
            CHECK(all.find(secret) == std::string::npos);
        }
        CHECK(*e.record.request_details.find_string("layers") == "a");
        CHECK(e.record.request_query_string.value().find("service=wms") != std::string::npos);
    }

    TEST_CASE("a query string is stored as logged unless a secret leaves it") {
        // "outputformat" and "authority" contain secret fragments but name no
        // secret: nothing is removed, so nothing is rewritten (empty pairs stay).
        const Enriched kept =
            enrich_combined("/geoserver/ows?service=WFS&&outputFormat=json&authority=x&");
        CHECK(kept.record.request_query_string.value() ==
              "service=wfs&&outputformat=json&authority=x&");
        // A secret goes, and the pairs around it are joined again.
        const Enriched cut = enrich_combined("/geoserver/ows?service=WFS&&token=S1&f=json");
        CHECK(cut.record.request_query_string.value() == "service=wfs&f=json");
        const Enriched only = enrich_combined("/geoserver/ows?Api%5FKey=S1");
        CHECK(only.record.request_query_string.is_null());
    }

    TEST_CASE("the referrer's query string loses its secrets as the request's does") {
        const Enriched e = enrich_combined(
            "/geoserver/wms",
            "https://portal.example.org/map?token=SECRETR1&api_key=SECRETR2&x=1#top");
        CHECK(e.record.referrer.value() == "https://portal.example.org/map?x=1#top");
        CHECK(e.record.referring_domain.value() == "portal.example.org");
        const Enriched only =
            enrich_combined("/geoserver/wms", "https://portal.example.org/map?token=SECRETR1");
        CHECK(only.record.referrer.value() == "https://portal.example.org/map");
    }

    TEST_CASE("redact_secrets finds names however encoded, also in an address inside a value") {
        const std::pair<std::string, std::string> cases[] = {
            {"GET /x?api_key%00=SECRETZ&sig=ABC&q=1 HTTP/1.1",
             "GET /x?api_key%00=REDACTED&sig=REDACTED&q=1 HTTP/1.1"},
            // The first byte encoded, and a key after an encoded separator.
            {"GET /x?%61pikey=S1&q=1 HTTP/1.1", "GET /x?%61pikey=REDACTED&q=1 HTTP/1.1"},
            {"GET /x?q=1&%61pi-KEY=S2 HTTP/1.1", "GET /x?q=1&%61pi-KEY=REDACTED HTTP/1.1"},
            {"next=a%26token=S3&q=1", "next=a%26token=REDACTED&q=1"},
            {"100%token=S4", "100%token=REDACTED"}, // not an escape: a key may follow
            // An address encoded in a value: "%3D" is its '=', "%26" ends its value.
            {"GET /proxy/?url=http%3A%2F%2Fh%2Fwms%3Fapikey%3DS1%26layers%3Da HTTP/1.1",
             "GET /proxy/?url=http%3A%2F%2Fh%2Fwms%3Fapikey%3DREDACTED%26layers%3Da HTTP/1.1"},
            {"url=h%3Fx%3d1%26Token%3ds2#top", "url=h%3Fx%3d1%26Token%3dREDACTED#top"},
            // After a plain '=', an encoded '&' is the value's own.
            {"token=a%26b&q=1", "token=REDACTED&q=1"},
            {"service=wms&layers=a%3Db", "service=wms&layers=a%3Db"},
            // Credentials in an address: user and password go.
            {"GET https://carol:PW5@h.org/x HTTP/1.1", "GET https://REDACTED@h.org/x HTTP/1.1"},
            {"\"http://u@h/?token=t\"", "\"http://REDACTED@h/?token=REDACTED\""},
            {"mail bob@h.org, see https://h.org/@x", "mail bob@h.org, see https://h.org/@x"},
            // JSON properties that name a secret, by their last dotted part too.
            {R"({"attributes": {"http.request.header.Authorization": "Bearer S1", "a": "b"}})",
             R"({"attributes": {"http.request.header.Authorization": "REDACTED", "a": "b"}})"},
            {R"({"http.request.parameter.api_key":"S2","http.request.header.Cookie" : "J=S3"})",
             R"({"http.request.parameter.api_key":"REDACTED","http.request.header.Cookie" : "REDACTED"})"},
            {R"({"\u0061pi_key":"S4\"x","token":12345,"password":{"kept":1}})",
             R"({"\u0061pi_key":"REDACTED","token":REDACTED,"password":{"kept":1}})"},
            {R"({"query":"token","secret":"cut sho)", R"({"query":"token","secret":"REDACTED)"},
        };
        for (const auto& [text, expected] : cases) {
            std::string line = text;
            CHECK(redact_secrets(line) == (text != expected));
            CHECK(line == expected);
        }
    }

    TEST_CASE("redact_secrets takes linear time on a line of many secrets") {
        // A replace per secret was quadratic: minutes for this text.
        std::string text;
        for (int i = 0; i < 300'000; ++i) {
            text += "token=x&a%3Fsig%3Dy&";
        }
        REQUIRE(redact_secrets(text));
        CHECK(text.find("=x") == std::string::npos);
        CHECK(text.find("%3Dy") == std::string::npos);
        CHECK(text.substr(0, 40) == "token=REDACTED&a%3Fsig%3DREDACTED&token=");
    }

    TEST_CASE("a secret in an address carried by a parameter is not stored") {
        // A MapStore proxy request: the upstream address is a parameter value.
        const Enriched proxy = enrich_combined(
            "/mapstore/proxy/?url=http%3A%2F%2Fh%2Fwms%3FAPIKEY%3DS1%26layers%3Da&x=1");
        CHECK(*proxy.record.request_details.find_string("url") ==
              "http://h/wms?apikey=REDACTED&layers=a");
        CHECK(proxy.record.request_query_string.value() ==
              "url=http%3a%2f%2fh%2fwms%3fapikey%3dREDACTED%26layers%3da&x=1");
        const Enriched literal = enrich_combined("/x?next=/map?token=S2&q=1");
        CHECK(*literal.record.request_details.find_string("next") == "/map?token=REDACTED");
        CHECK(literal.record.request_query_string.value() == "next=/map?token=REDACTED&q=1");
        // A value that is not kept (a repeated name) still leaves no secret.
        const Enriched repeated = enrich_combined("/x?url=a&url=h%3Fsig%3DS3");
        CHECK(repeated.record.request_query_string.value().find("s3") == std::string::npos);
        const Enriched referred = enrich_combined(
            "/x", "https://p.example.org/a?next=https%3A%2F%2Fh%2F%3Ftoken%3DSECRETR3&x=1");
        CHECK(referred.record.referrer.value() ==
              "https://p.example.org/a?next=https%3A%2F%2Fh%2F%3Ftoken%3DREDACTED&x=1");
    }

    TEST_CASE("a referrer loses the credentials of its address") {
        const Enriched e = enrich_combined("/x", "https://dave:PW6@p.example.org/a?token=t&x=1");
        CHECK(e.record.referrer.value() == "https://p.example.org/a?x=1");
        CHECK(e.record.referring_domain.value() == "p.example.org");
        const Enriched user = enrich_combined("/x", "http://eve@p.example.org:8080");
        CHECK(user.record.referrer.value() == "http://p.example.org:8080");
    }

    TEST_CASE("a referrer loses a secret whose name is percent-encoded") {
        const Enriched e = enrich_combined("/x", "https://p.example.org/a?ap%69_k%65y=XYZ1&x=1");
        CHECK(e.record.referrer.value() == "https://p.example.org/a?x=1");
        // Nothing to remove: kept as logged, empty pairs and all.
        const Enriched kept = enrich_combined("/x", "https://p.example.org/a?q=a%20b&&x=1");
        CHECK(kept.record.referrer.value() == "https://p.example.org/a?q=a%20b&&x=1");
    }

    TEST_CASE("configured secret names are removed too") {
        // Loading a configuration sets the names for the process.
        (void)config::load_from_string(
            "data_privacy: {secret_keys: [My-Secret]}\n", "test",
            [](const std::string&) { return std::optional<std::string>{}; });
        const Enriched e = enrich_combined("/geoserver/wms?my_secret=S9&layers=a");
        CHECK(e.record.request_details.find("my_secret") == nullptr);
        CHECK(e.record.request_query_string.value() == "layers=a");
        set_configured_secret_names({});
        const Enriched after = enrich_combined("/geoserver/wms?my_secret=S9");
        CHECK(after.record.request_details.find("my_secret") != nullptr);
    }
}

TEST_SUITE("rejected_text") {
    TEST_CASE("a rejected line is kept with the privacy of an accepted one") {
        const config::Config config = config::defaults(); // user_id, user_name, client_ip
        const enrich::RejectedText kept(config);
        CHECK(
            kept(
                R"(10.1.2.3 - alice [01/Mar/2026:10:00:00 +0000] "GET /x?api_key=SECRETZ&q=1 HTTP/1.1" 200 x)") ==
            R"(REDACTED - REDACTED [01/Mar/2026:10:00:00 +0000] "GET /x?api_key=REDACTED&q=1 HTTP/1.1" 200 x)");
        CHECK(
            kept(
                R"({"attributes":{"enduser.id":"bob","client.address":"2001:db8::5"},"ts":"10:00:00"})") ==
            R"({"attributes":{"enduser.id":"REDACTED","client.address":"REDACTED"},"ts":"10:00:00"})");
        CHECK(kept(std::string("a\0b", 3)) == "a b");
        CHECK(kept(std::string(10'000, 'x')).size() == enrich::rejected_text_chars);
    }

    TEST_CASE("keys_blacklist clears the columns it names, roles, and any parameter") {
        config::Config config = config::defaults();
        config.data_privacy.keys_blacklist = {"utm_source", "referrer",     "roles",
                                              "bbox",       "request_path", "client_ip"};
        config.data_privacy.anonymize_ip = false;
        const Enriched e =
            enrich_combined("/geoserver/wms?SERVICE=WMS&BBOX=1,2,3,4&utm_source=news&width=256",
                            "https://example.org/map", config);
        CHECK(e.record.utm_source.is_null());
        CHECK(e.record.referrer.is_null());
        CHECK(e.record.client_ip.is_null());
        CHECK(e.record.referring_domain.value() == "example.org"); // not named
        CHECK(e.record.request_details.find("bbox") == nullptr);
        CHECK(*e.record.request_details.find_string("width") == "256");
        // A parsed column is not settable: the name is taken for a parameter.
        CHECK(e.record.request_path.value() == "/geoserver/wms");

        // roles come from the user field of a geOrchestra line.
        auto parser = parse::make_clf_parser(parse::TextVariant::georchestra, config);
        enrich::Enricher enricher(config, nullptr);
        parse::ParsedBatch batch;
        std::string reason;
        REQUIRE(parser->parse("1.2.3.4 - alice|psc|ROLE_A,ROLE_B [01/Mar/2026:10:00:00 +0000] "
                              "\"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\" - \"mapstore\" \"-\" 2ms",
                              batch, reason));
        enrich::EnrichWarnings warnings;
        enricher.enrich(batch[0].record, batch[0].extras, warnings);
        CHECK(batch[0].record.org_id.value() == "psc");
        CHECK(batch[0].record.roles.null);

        // With anonymize_ip, client_ip in the list is truncated, not removed.
        config.data_privacy.anonymize_ip = true;
        CHECK(enrich_combined("/x", "-", config).record.client_ip.value() == "1.2.3.0");
    }

    TEST_CASE("with anonymize_ip, addresses are truncated rather than removed") {
        config::Config config = config::defaults();
        config.data_privacy.keys_blacklist = {};
        config.data_privacy.anonymize_ip = true;
        const enrich::RejectedText kept(config);
        CHECK(kept("192.168.1.70 - carol [x]") == "192.168.1.0 - carol [x]");
    }
}

TEST_SUITE("enricher") {
    TEST_CASE("api-json numbers out of range are NULL with a warning each") {
        const config::Config config = config::defaults();
        const time::LocalZone utc("UTC");
        auto parser = parse::make_api_json_parser(utc);
        enrich::Enricher enricher(config, nullptr);
        parse::ParsedBatch batch;
        std::string reason;
        REQUIRE(parser->parse(
            R"({"endpoint":"/api/x","requested_at":"2026-03-01T10:00:00Z","status_code":"abc","response_time_ms":1e308,"tier_id":"NaN"})",
            batch, reason));
        enrich::EnrichWarnings warnings;
        enricher.enrich(batch[0].record, batch[0].extras, warnings);
        CHECK(batch[0].record.status_code.null);
        CHECK(batch[0].record.response_time.null);
        CHECK(batch[0].record.tier_id.null);
        CHECK(warnings.counts.at("status_code not an integer in range, stored as NULL") == 1);
        CHECK(warnings.counts.at("response_time_ms not an integer in range, stored as NULL") == 1);
        CHECK(warnings.counts.at("tier_id not an integer in range, stored as NULL") == 1);
    }

    TEST_CASE("numbers beyond 64 bits are NULL with a warning in api-json and otel alike") {
        const config::Config config = config::defaults();
        const time::LocalZone utc("UTC");
        enrich::Enricher enricher(config, nullptr);
        parse::ParsedBatch batch;
        std::string reason;
        enrich::EnrichWarnings warnings;
        auto api = parse::make_api_json_parser(utc);
        REQUIRE(api->parse(
            R"({"endpoint":"/api/x","requested_at":"2026-03-01T10:00:00Z","status_code":99999999999999999999})",
            batch, reason));
        enricher.enrich(batch[0].record, batch[0].extras, warnings);
        CHECK(batch[0].record.status_code.null);
        auto otel = parse::make_otel_parser(utc);
        REQUIRE(otel->parse(
            R"({"timestamp":"2026-03-01T10:00:00Z","span_id":"ab","attributes":{"http.request.method":"GET","url.path":"/geoserver/wms","http.status_code":123456789012345678901,"http.response.duration_ms":"slow"}})",
            batch, reason));
        enricher.enrich(batch[0].record, batch[0].extras, warnings);
        CHECK(batch[0].record.status_code.null);
        CHECK(batch[0].record.response_time.null);
        CHECK(warnings.counts.at("status_code not an integer in range, stored as NULL") == 2);
        CHECK(warnings.counts.at("response_time not an integer in range, stored as NULL") == 1);
    }

    TEST_CASE("each processor uses its own app_processors block, data-api's old name too") {
        const auto no_env = [](const std::string&) { return std::optional<std::string>{}; };
        const std::string target = "/data/ogcapi/collections/communes/items?f=csv";
        const config::Config own = config::load_from_string(
            "apps_mapping: {\"/data/\": dataapi}\n"
            "app_processors:\n  datapi:\n    download_formats:\n      vector: {csv: MyCSV}\n",
            "test", no_env);
        const Enriched e = enrich_combined(target, "-", own);
        REQUIRE(e.record.request_details.find_string("download_format") != nullptr);
        CHECK(*e.record.request_details.find_string("download_format") == "MyCSV");
        // Without a block of its own, the built-in formats.
        const config::Config none =
            config::load_from_string("apps_mapping: {\"/data/\": dataapi}\n", "test", no_env);
        const Enriched d = enrich_combined(target, "-", none);
        REQUIRE(d.record.request_details.find_string("download_format") != nullptr);
        CHECK(*d.record.request_details.find_string("download_format") != "MyCSV");
    }
}
