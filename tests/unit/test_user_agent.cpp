#include <analytics/enrich/user_agent.hpp>
#include <analytics/util/errors.hpp>

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <ostream> // doctest stringifies std::string through it
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using analytics::ConfigError;
using analytics::enrich::UserAgentInfo;
using analytics::enrich::UserAgentParser;

namespace {

// Loading and compiling regexes.yaml takes a while: one parser per process.
UserAgentParser& parser() {
    static UserAgentParser instance{UAP_CORE_REGEXES};
    return instance;
}

// The fields a record gets, in one string so a failure shows them all.
std::string summary(const UserAgentInfo& i) {
    return i.family + " | " + i.version + " | " + i.os_family + " | " + i.os_version + " | " +
           i.device_type + (i.gis_client ? " | gis" : "");
}

std::string enrich(const std::string& ua) {
    return summary(parser().enrich(ua));
}

std::string error_loading(const std::string& yaml) {
    const std::string path = "/tmp/analytics-unit-ua-" + std::to_string(::getpid()) + ".yaml";
    std::ofstream(path) << yaml;
    std::string message = "(no error)";
    try {
        UserAgentParser p(path);
        p.enrich("curl/8.5.0"); // the regexes compile on first use
    } catch (const ConfigError& e) {
        message = e.what();
    }
    std::remove(path.c_str());
    return message;
}

} // namespace

TEST_SUITE("user agent") {
    TEST_CASE("GIS clients come first, with their own families and versions") {
        // user agent -> family | version | os | os version | device_type | gis
        const std::pair<const char*, const char*> cases[] = {
            {"Mozilla/5.0 QGIS/33404/Linux", "QGIS | 3.34 | Linux |  | desktop | gis"},
            {"QGIS/34202/Windows 11 Version 2009", "QGIS | 3.42 | Windows |  | desktop | gis"},
            {"Mozilla/5.0 QGIS/2.18.5", "QGIS | 2.18 | Other |  | desktop | gis"},
            {"QGIS/3.6.0-Noosa", "QGIS | 3.6 | Other |  | desktop | gis"},
            {"Mozilla/5.0%20QGIS/31006", "QGIS | 3.10 | Other |  | desktop | gis"},
            {"ArcGIS Pro 3.6.1 (00000000000) - ArcGISPro",
             "ArcGIS Pro | 3.6 | Other |  | desktop | gis"},
            {"ArcGISRuntime-NET/100.11.2 (Windows 10.0.19041; Win64; WOW64; net48)",
             "ArcGIS Runtime | 100.11 | Windows | 10 | other | gis"},
            {"ArcGIS Client Using WinInet", "ArcMap |  | Other |  | desktop | gis"},
            {"FME/2022.7.43.22343 libcurl/7.79.1 (OpenSSL/1.1.1n) zlib/1.2.11",
             "FME | 2022.7 | Other |  | desktop | gis"},
            {"JOSM/1.5 (18822 en) Windows 10 64-Bit", "JOSM | 1.5 | Windows | 10 | desktop | gis"},
            {"GDAL WMS driver (http://www.gdal.org/frmt_wms.html)",
             "GDAL |  | Other |  | other | gis"},
            {"GDAL/3.6.2", "GDAL | 3.6 | Other |  | other | gis"},
            {"OWSLib (https://geopython.github.io/OWSLib)", "OWSLib |  | Other |  | other | gis"},
            {"OWSLib 0.29.3 (https://geopython.github.io/OWSLib)",
             "OWSLib | 0.29 | Other |  | other | gis"},
            {"MapProxy-1.15.1", "MapProxy | 1.15 | Other |  | other | gis"},
            {"MapInfoPro/21.0.0", "MapInfo Pro | 21.0 | Other |  | desktop | gis"},
            {"MapInfo Pro 2019", "MapInfo Pro | 2019 | Other |  | desktop | gis"},
            {"uDig/2.0.0", "uDig | 2.0 | Other |  | desktop | gis"},
            {"GeoServer/2.24.1", "GeoServer | 2.24 | Other |  | other | gis"},
        };
        for (const auto& [ua, expected] : cases) {
            CHECK(enrich(ua) == expected);
        }
    }

    TEST_CASE("BTAA's observed results (browser, os, device_type)") {
        const auto btaa = [](const std::string& ua) {
            const auto& i = parser().enrich(ua);
            return i.family + "/" + i.os_family + "/" + i.device_type;
        };
        CHECK(btaa("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                   "Gecko) Chrome/120.0.0.0 Safari/537.36") == "Chrome/Windows/desktop");
        CHECK(btaa("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, "
                   "like Gecko) Version/17.1 Safari/605.1.15") == "Safari/Mac OS X/desktop");
        CHECK(btaa("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
                   "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1") ==
              "Mobile Safari/iOS/mobile");
        CHECK(btaa("Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
                   "like Gecko) Version/17.1 Mobile/15E148 Safari/604.1") ==
              "Mobile Safari/iOS/tablet");
        CHECK(btaa("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
                   "Gecko) Chrome/120.0.0.0 Mobile Safari/537.36") ==
              "Chrome Mobile/Android/mobile");
        CHECK(btaa("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like "
                   "Gecko) Chrome/120.0.0.0 Safari/537.36") == "Chrome/Android/tablet");
        CHECK(btaa("Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0") ==
              "Firefox/Linux/desktop");
        CHECK(btaa("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)") ==
              "Googlebot/Other/bot");
        // The pc check runs before the bot check.
        CHECK(btaa("Mozilla/5.0 (Windows NT 10.0; Win64; x64; compatible; bingbot/2.0; "
                   "+http://www.bing.com/bingbot.htm)") == "bingbot/Windows/desktop");
        CHECK(btaa("curl/8.5.0") == "curl/Other/other");
        CHECK(btaa("python-requests/2.31.0") == "Python Requests/Other/other");
        CHECK(btaa("BTAA-Geo-API-CLI/0.1.0") == "Other/Other/other");
    }

    TEST_CASE("versions are major.minor, never N.None") {
        const auto& firefox = parser().enrich(
            "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0");
        CHECK(summary(firefox) == "Firefox | 140.0 | Linux |  | desktop");
        CHECK_FALSE(firefox.gis_client);
        CHECK(enrich("curl/8.5.0") == "curl | 8.5 | Other |  | other");
        CHECK(enrich("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                     "Gecko) Chrome/120.0.0.0 Safari/537.36") ==
              "Chrome | 120.0 | Windows | 10 | desktop");
        CHECK(enrich("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                     "(KHTML, like Gecko) Version/17.1 Safari/605.1.15") ==
              "Safari | 17.1 | Mac OS X | 10.15 | desktop");
    }

    TEST_CASE("uap-core sections follow its semantics") {
        const auto agent = parser().uap().parse_agent("BTAA-Geo-API-CLI/0.1.0");
        CHECK(agent.family == "Other");
        CHECK_FALSE(agent.major.has_value());
        const auto os = parser().uap().parse_os("Mozilla/5.0 (X11; Linux x86_64; rv:140.0)");
        CHECK(os.family == "Linux");
        CHECK_FALSE(os.major.has_value());
        const auto device = parser().uap().parse_device(
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36");
        CHECK(device.family == "Pixel 8");
        CHECK(device.brand == "Google");
        CHECK(device.model == "Pixel 8");
    }

    TEST_CASE("an empty user agent gives empty fields") {
        const auto& i = parser().enrich("");
        CHECK(i.family.empty());
        CHECK(i.version.empty());
        CHECK(i.os_family.empty());
        CHECK(i.device_family.empty());
        CHECK(i.device_type.empty());
        CHECK_FALSE(i.gis_client);
    }

    // Bounded work without a clock: a 1 MiB user agent is the very cache
    // entry of its first 4 KB, so no more than those 4 KB is ever parsed.
    TEST_CASE("a huge user agent is cut, not a hang") {
        std::string huge = "Mozilla/5.0 (Linux; Android 13; SM-X700) ";
        while (huge.size() < (1u << 20)) {
            huge += "AppleWebKit/537.36 (KHTML, like Gecko) bot Mobile ";
        }
        const auto& prefix_entry = parser().enrich(std::string_view(huge).substr(0, 4096));
        CHECK(prefix_entry.os_family == "Android");
        CHECK(&parser().enrich(huge) == &prefix_entry);
        CHECK(&parser().enrich(huge + "tail") == &prefix_entry);
        const std::string repeated(1u << 20, 'a');
        const auto& repeated_entry = parser().enrich(repeated);
        CHECK(repeated_entry.family == "Other");
        CHECK(&parser().enrich(std::string_view(repeated).substr(0, 4096)) == &repeated_entry);
    }

    TEST_CASE("invalid UTF-8 does not break parsing") {
        CHECK(parser()
                  .enrich("Mozilla/5.0 (\xff\xfe\xc3; Android 10; \x80\x80) Chrome/99.0.1 "
                          "Mobile Safari/537.36 \xed\xa0\x80")
                  .os_family == "Android");
        CHECK(parser().enrich("\xc3").family == "Other");
        // A cut in the middle of a multi-byte character, at the 4 KB bound.
        std::string cut(4095, 'x');
        cut += "\xc3\xa9\xe2\x84\xaa\xc5\xbf";
        CHECK(parser().enrich(cut).family == "Other");
        // KELVIN SIGN case-folds to k: the prefilter must not drop the (?i) Karbonn regex.
        const auto karbonn =
            parser().uap().parse_device("Mozilla/5.0 (Linux; Android 4.0; \xe2\x84\xaa"
                                        "arbonn A5 Build/IML74K)");
        CHECK(karbonn.family == "A5");
        CHECK(karbonn.brand == "Karbonn");
    }

    TEST_CASE("a cache hit returns the same result") {
        const std::string ua = "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
                               "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
        const UserAgentInfo first = parser().enrich(ua);
        parser().enrich("curl/8.5.0");
        const UserAgentInfo& second = parser().enrich(ua);
        CHECK(summary(second) == summary(first));
        CHECK(second.device_family == first.device_family);
        CHECK(second.device_brand == "Apple");
        CHECK(second.device_model == first.device_model);
        CHECK(&parser().enrich(ua) == &second);
    }

    TEST_CASE("parsers of one file share its compiled regexes, not their caches") {
        UserAgentParser a{UAP_CORE_REGEXES};
        UserAgentParser b{UAP_CORE_REGEXES};
        CHECK(&a.uap() == &parser().uap());
        CHECK(&b.uap() == &a.uap());
        const std::string ua = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 "
                               "Firefox/120.0";
        CHECK(&a.enrich(ua) != &b.enrich(ua));
        // ingest --jobs: workers enrich at once, each with its own parser.
        const std::vector<std::string> agents{
            ua, "QGIS/3.28.4-Firenze", "curl/8.5.0",
            "Googlebot/2.1 (+http://www.google.com/bot.html)",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"};
        std::vector<std::string> expected; // one parser, one thread
        for (int round = 0; round < 50; ++round) {
            for (const auto& agent : agents) {
                expected.push_back(enrich(agent + std::to_string(round)));
            }
        }
        std::vector<std::vector<std::string>> seen(4);
        std::vector<std::thread> threads;
        for (auto& results : seen) {
            threads.emplace_back([&results, &agents] {
                UserAgentParser own{UAP_CORE_REGEXES};
                for (int round = 0; round < 50; ++round) {
                    for (const auto& agent : agents) {
                        results.push_back(summary(own.enrich(agent + std::to_string(round))));
                    }
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        for (const auto& results : seen) {
            CHECK(results == expected);
        }
    }

    TEST_CASE("an unusable regexes file is a ConfigError naming it") {
        CHECK_THROWS_AS(UserAgentParser("/nonexistent/regexes.yaml"), ConfigError);
        CHECK(error_loading("user_agent_parsers: [").find("/tmp/analytics-unit-ua-") !=
              std::string::npos);
        CHECK(error_loading("[1, 2]").find("not a uap-core regexes.yaml") != std::string::npos);
        CHECK(error_loading("user_agent_parsers: []\nos_parsers: []\n")
                  .find("'device_parsers' is missing") != std::string::npos);
        CHECK(error_loading("user_agent_parsers:\n  - family_replacement: x\n")
                  .find("user_agent_parsers[0] has no 'regex'") != std::string::npos);
        // A lookahead: PCRE has it, RE2 does not.
        CHECK(error_loading("user_agent_parsers:\n  - regex: 'a(?=b)'\nos_parsers: []\n"
                            "device_parsers: []\n")
                  .find("RE2 cannot compile 'a(?=b)'") != std::string::npos);
    }

    TEST_CASE("the file is read, and each section compiled, on first use") {
        const std::string path = "/tmp/analytics-unit-ua-lazy-" + std::to_string(::getpid());
        std::ofstream(path) << "user_agent_parsers:\n  - regex: 'a(?=b)'\nos_parsers: []\n"
                               "device_parsers: []\n";
        UserAgentParser lazy(path); // reads and compiles nothing yet
        // A GIS client is decided before the agents section is needed.
        CHECK(summary(lazy.enrich("QGIS/3.6.0-Noosa")) == "QGIS | 3.6 | Other |  | desktop | gis");
        CHECK_THROWS_WITH_AS(lazy.enrich("curl/8.5.0"),
                             doctest::Contains("RE2 cannot compile 'a(?=b)'"), ConfigError);
        std::ofstream(path) << "[1, 2]\n"; // not read again
        CHECK_THROWS_WITH_AS(lazy.enrich("curl/8.5.0"),
                             doctest::Contains("RE2 cannot compile 'a(?=b)'"), ConfigError);
        std::remove(path.c_str());
        std::ofstream(path) << "[1, 2]\n";
        UserAgentParser unread(path); // an empty input never reads it
        std::remove(path.c_str());
    }

    TEST_CASE("empty sections parse everything as Other") {
        const std::string path = "/tmp/analytics-unit-ua-empty-" + std::to_string(::getpid());
        std::ofstream(path) << "user_agent_parsers: []\nos_parsers: []\ndevice_parsers: []\n";
        UserAgentParser empty(path);
        CHECK(summary(empty.enrich("curl/8.5.0")) == "Other |  | Other |  | other");
        CHECK(summary(empty.enrich("QGIS/3.6.0-Noosa")) == "QGIS | 3.6 | Other |  | desktop | gis");
        std::remove(path.c_str());
    }
}
