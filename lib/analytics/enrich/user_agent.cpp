#include <analytics/enrich/user_agent.hpp>
#include <analytics/util/shared_by_path.hpp>
#include <analytics/util/text.hpp>

#include <re2/re2.h>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <initializer_list>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace analytics::enrich {

namespace {

// The cache of enrich() is simply emptied when it reaches either bound.
constexpr std::size_t max_cache_entries = 100'000;
constexpr std::size_t max_cache_bytes = std::size_t{64} << 20; // keys and values

std::string_view view(const re2::StringPiece& piece) {
    return {piece.data(), piece.size()};
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

// "major.minor", "major", or "" (never "N.None").
std::string short_version(const std::optional<std::string>& major,
                          const std::optional<std::string>& minor) {
    if (!major) {
        return {};
    }
    return minor ? *major + "." + *minor : *major;
}

// GIS clients, tried in this order before uap-core (which misses most of
// them or names them differently). Group 1, when it matched, is the version.
//
//   family          example user agent                           version
//   QGIS            Mozilla/5.0 QGIS/33404/Linux                 3.34 (major*10000+minor*100+patch)
//                   Mozilla/5.0 QGIS/2.18.5, QGIS/3.6.0-Noosa    2.18, 3.6
//   ArcGIS Pro      ArcGIS Pro 3.6.1 (00000000000) - ArcGISPro   3.6
//   ArcMap          ArcGIS Client Using WinInet                  -
//   FME             FME/2022.7.43.22343 libcurl/...              2022.7
//   JOSM            JOSM/1.5 (...)                               1.5
//   MapInfo Pro     MapInfoPro/..., MapInfo Pro ...              major.minor if given
//   uDig            uDig/...                                     major.minor if given
//   ArcGIS Runtime  ArcGISRuntime-NET/100.11.2 (...)             100.11
//   GDAL            GDAL WMS driver (...), GDAL/3.6.2            3.6
//   OWSLib          OWSLib 0.29.3 (https://...), OWSLib (...)    0.29
//   MapProxy        MapProxy-1.15.1                              1.15
//   GeoServer       GeoServer/2.24.1 (cascading)                 2.24
//
// Desktop applications are device_type "desktop"; libraries, SDKs and
// servers are "other".
struct GisClient {
    const char* family;
    const char* pattern;
    bool desktop;
};

const GisClient gis_clients[] = {
    {"QGIS", R"(QGIS/(\d+(?:\.\d+)*)?)", true},
    {"ArcGIS Pro", R"(ArcGIS Pro(?: (\d+(?:\.\d+)*))?)", true},
    {"ArcMap", R"(ArcGIS Client Using WinInet)", true},
    {"FME", R"(FME/(\d+(?:\.\d+)*)?)", true},
    {"JOSM", R"(JOSM/(\d+(?:\.\d+)*)?)", true},
    {"MapInfo Pro", R"(MapInfo ?Pro(?:[/ ]v?(\d+(?:\.\d+)*))?)", true},
    {"uDig", R"(uDig/(\d+(?:\.\d+)*)?)", true},
    {"ArcGIS Runtime", R"(ArcGISRuntime-\w+/(\d+(?:\.\d+)*)?)", false},
    {"GDAL", R"(GDAL(?:/(\d+(?:\.\d+)*)| WMS driver))", false},
    {"OWSLib", R"(OWSLib(?:[ /](\d+(?:\.\d+)*))?)", false},
    {"MapProxy", R"(MapProxy(?:[-/](\d+(?:\.\d+)*))?)", false},
    {"GeoServer", R"(GeoServer/(\d+(?:\.\d+)*)?)", false},
};

} // namespace

const char* client_kind(std::string_view family) noexcept {
    for (const auto& client : gis_clients) {
        if (family == client.family) {
            return "GIS client";
        }
    }
    static constexpr std::string_view browsers[] = {"Chrome",
                                                    "Firefox",
                                                    "Safari",
                                                    "Edge",
                                                    "Mobile Safari",
                                                    "Chrome Mobile",
                                                    "Firefox Mobile",
                                                    "Opera",
                                                    "Samsung Internet",
                                                    "IE",
                                                    "Chromium",
                                                    "Chrome Mobile iOS",
                                                    "Chrome Mobile WebView",
                                                    "Mobile Safari UI/WKWebView",
                                                    "Yandex Browser",
                                                    "Brave",
                                                    "Vivaldi",
                                                    "Firefox iOS",
                                                    "Edge Mobile"};
    for (const auto browser : browsers) {
        if (family == browser) {
            return "browser";
        }
    }
    if (ifind(family, "bot") != std::string_view::npos ||
        ifind(family, "spider") != std::string_view::npos ||
        ifind(family, "crawl") != std::string_view::npos || family == "check_http") {
        return "bot";
    }
    static constexpr std::string_view scripts[] = {"Python Requests",
                                                   "curl",
                                                   "Wget",
                                                   "Java",
                                                   "Go-http-client",
                                                   "okhttp",
                                                   "Apache-HttpClient",
                                                   "PycURL",
                                                   "Python-urllib",
                                                   "libwww-perl",
                                                   "aiohttp",
                                                   "axios",
                                                   "node-fetch",
                                                   "PowerShell"};
    for (const auto script : scripts) {
        if (family == script) {
            return "script";
        }
    }
    return "other";
}

namespace {

// "3.34" from QGIS's integer form (33404), "2.18" from a dotted one.
std::string gis_version(std::string_view family, std::string_view digits) {
    if (digits.empty()) {
        return {};
    }
    if (family == "QGIS" && digits.find('.') == std::string_view::npos && digits.size() >= 5 &&
        digits.size() <= 9) {
        const long n = std::stol(std::string(digits));
        return std::to_string(n / 10000) + "." + std::to_string(n / 100 % 100);
    }
    const auto first_dot = digits.find('.');
    if (first_dot == std::string_view::npos) {
        return std::string(digits);
    }
    return std::string(digits.substr(0, digits.find('.', first_dot + 1)));
}

// BTAA's device_type: Python user-agents 2.2.0's predicates, in its order
// (mobile, tablet, desktop, bot, other), so results match the old worker.
std::string btaa_device_type(std::string_view ua, const UapAgent& agent, const UapOs& os,
                             const UapDevice& device) {
    const auto in = [](const std::string& value, std::initializer_list<const char*> set) {
        return std::find(set.begin(), set.end(), value) != set.end();
    };
    // user-agents' version_string: the non-null parts of major.minor.patch.
    std::string os_version_string;
    for (const auto* part : {&os.major, &os.minor, &os.patch}) {
        if (*part) {
            os_version_string += (os_version_string.empty() ? "" : ".") + **part;
        }
    }
    const std::string& browser = agent.family;

    const bool is_tablet =
        in(device.family, {"iPad", "BlackBerry Playbook", "Blackberry Playbook", "Kindle",
                           "Kindle Fire", "Kindle Fire HD", "Galaxy Tab", "Xoom", "Dell Streak"}) ||
        (os.family == "Android" && !contains(ua, "Mobile Safari") && browser != "Firefox Mobile") ||
        (os.family == "Windows" && os_version_string.compare(0, 2, "RT") == 0) ||
        (os.family == "Firefox OS" && !contains(browser, "Mobile"));

    const bool is_mobile =
        in(device.family, {"iPhone", "iPod", "Generic Smartphone", "Generic Feature Phone",
                           "PlayStation Vita", "iOS-Device"}) ||
        in(browser, {"IE Mobile", "Opera Mobile", "Opera Mini", "Chrome Mobile",
                     "Chrome Mobile WebView", "Chrome Mobile iOS"}) ||
        ((os.family == "Android" || os.family == "Firefox OS") && !is_tablet) ||
        (os.family == "BlackBerry OS" && device.family != "Blackberry Playbook") ||
        in(os.family, {"Windows Phone", "Windows Phone OS", "Symbian OS", "Bada", "Windows CE",
                       "Windows Mobile", "Maemo"}) ||
        contains(ua, "J2ME") || contains(ua, "MIDP") || contains(ua, "iPhone;") ||
        contains(ua, "Googlebot-Mobile") ||
        (device.family == "Spider" && contains(browser, "Mobile")) ||
        (contains(ua, "NokiaBrowser") && contains(ua, "Mobile"));

    const auto is_pc = [&] {
        if (contains(ua, "Windows NT") || in(os.family, {"Windows 95", "Windows 98", "Solaris"}) ||
            (os.family == "Windows" && os_version_string == "ME")) {
            return true;
        }
        if (os.family == "Mac OS X" && !contains(ua, "Silk")) {
            return true;
        }
        if (contains(ua, "Maemo")) {
            return false; // Maemo says Linux and X11 but is a phone
        }
        return contains(os.family, "Chrome OS") || (contains(ua, "Linux") && contains(ua, "X11"));
    };

    if (is_mobile) {
        return "mobile";
    }
    if (is_tablet) {
        return "tablet";
    }
    if (is_pc()) {
        return "desktop";
    }
    return device.family == "Spider" ? "bot" : "other";
}

} // namespace

// The compiled part: uap-core's sections and the GIS table. Matching is const
// and safe concurrently, so the --jobs workers share one (ingest/line_task.hpp).
struct UserAgentRules {
    explicit UserAgentRules(const std::string& regexes_yaml_path) : uap(regexes_yaml_path) {
        RE2::Options options;
        options.set_log_errors(false);
        for (const GisClient& client : gis_clients) {
            gis.push_back(std::make_unique<RE2>(client.pattern, options));
        }
    }

    UserAgentInfo compute(std::string_view ua) const;

    UapParser uap;
    std::vector<std::unique_ptr<RE2>> gis; // parallel to gis_clients
};

// One parser's own: its cache and scratch (enrich() may not run concurrently).
struct UserAgentParser::Impl {
    explicit Impl(std::shared_ptr<const UserAgentRules> shared) : rules(std::move(shared)) {}

    std::shared_ptr<const UserAgentRules> rules;
    // Keyed by views of the agents in `agents` (a deque: they never move),
    // so a lookup neither copies the agent nor allocates.
    std::unordered_map<std::string_view, UserAgentInfo> cache;
    std::deque<std::string> agents;
    std::size_t cache_bytes = 0;
    UserAgentInfo empty;
};

UserAgentInfo UserAgentRules::compute(std::string_view ua) const {
    UserAgentInfo info;
    const UapOs os = uap.parse_os(ua);
    const UapDevice device = uap.parse_device(ua);
    info.os_family = os.family;
    info.os_version = short_version(os.major, os.minor);
    info.device_family = device.family;
    info.device_brand = device.brand.value_or("");
    info.device_model = device.model.value_or("");

    const re2::StringPiece input(ua.data(), ua.size());
    for (std::size_t i = 0; i < gis.size(); ++i) {
        std::vector<re2::StringPiece> groups(
            1 + static_cast<std::size_t>(gis[i]->NumberOfCapturingGroups()));
        if (gis[i]->Match(input, 0, input.size(), RE2::UNANCHORED, groups.data(),
                          static_cast<int>(groups.size()))) {
            info.family = gis_clients[i].family;
            info.version = groups.size() > 1 ? gis_version(info.family, view(groups[1])) : "";
            info.device_type = gis_clients[i].desktop ? "desktop" : "other";
            info.gis_client = true;
            return info;
        }
    }

    const UapAgent agent = uap.parse_agent(ua);
    info.family = agent.family;
    info.version = short_version(agent.major, agent.minor);
    info.device_type = btaa_device_type(ua, agent, os, device);
    return info;
}

UserAgentParser::UserAgentParser(const std::string& regexes_yaml_path)
    : m_impl(std::make_unique<Impl>(shared_by_path<UserAgentRules>(regexes_yaml_path))) {}

UserAgentParser::~UserAgentParser() = default;
UserAgentParser::UserAgentParser(UserAgentParser&&) noexcept = default;
UserAgentParser& UserAgentParser::operator=(UserAgentParser&&) noexcept = default;

const UapParser& UserAgentParser::uap() const noexcept {
    return m_impl->rules->uap;
}

const UserAgentInfo& UserAgentParser::enrich(std::string_view ua) {
    Impl& impl = *m_impl;
    if (ua.empty()) {
        return impl.empty; // callers store empty fields as NULL
    }
    const std::string_view text = bounded_user_agent(ua);
    if (auto hit = impl.cache.find(text); hit != impl.cache.end()) {
        return hit->second;
    }
    UserAgentInfo info = impl.rules->compute(text);
    const std::size_t bytes = text.size() + info.family.size() + info.version.size() +
                              info.os_family.size() + info.os_version.size() +
                              info.device_family.size() + info.device_brand.size() +
                              info.device_model.size();
    if (impl.cache.size() >= max_cache_entries || impl.cache_bytes + bytes > max_cache_bytes) {
        impl.cache.clear(); // simple and bounded: access logs repeat few distinct agents
        impl.agents.clear();
        impl.cache_bytes = 0;
    }
    impl.cache_bytes += bytes;
    const std::string& agent = impl.agents.emplace_back(text);
    return impl.cache.emplace(agent, std::move(info)).first->second;
}

} // namespace analytics::enrich
