#include <analytics/generate/traffic.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace analytics::generate {

namespace {

constexpr std::int64_t hour_us = 3600LL * 1000000;
constexpr std::int64_t day_us = 24 * hour_us;

// ---- The catalogue: what the platform serves --------------------------------

struct Layer {
    std::string_view workspace;
    std::string_view name;
    bool restricted; // needs a login (anonymous WFS gets 403)
};

constexpr Layer geoserver_layers[] = {
    {"ign", "communes", false},         {"ign", "departements", false},
    {"ign", "routes", false},           {"cadastre", "parcelles", true},
    {"cadastre", "sections", true},     {"env", "zones_humides", false},
    {"env", "znieff_type1", false},     {"env", "natura2000_sic", false},
    {"eau", "cours_eau", false},        {"eau", "stations_hydro", false},
    {"transport", "arrets_bus", false}, {"transport", "pistes_cyclables", false},
    {"urbanisme", "plu_zonage", true},  {"urbanisme", "permis_construire", true},
    {"psc", "ortho_2022", false},       {"topp", "states", false},
};

// Popularity: the first layers are asked for most.
const WeightedChoice& layer_choice() {
    static const WeightedChoice choice([] {
        std::vector<double> w;
        for (std::size_t i = 0; i < std::size(geoserver_layers); ++i) {
            w.push_back(1.0 / std::pow(static_cast<double>(i + 1), 0.8));
        }
        return w;
    }());
    return choice;
}

constexpr std::string_view mapserver_maps[][2] = {
    {"ortho", "ortho_2022"}, {"ortho", "ortho_2019"}, {"scan", "scan25"}, {"scan", "scan100"}};
constexpr std::string_view mapproxy_layers[] = {"osm", "ortho_2022", "plan_ign", "cadastre"};
constexpr std::string_view dataapi_collections[] = {"communes", "arrets_bus", "parcelles",
                                                    "zones_humides"};

constexpr std::string_view orgs[][2] = {
    {"PSC", "Project Steering Committee"},
    {"DDT38", "Direction departementale des territoires de l'Isere"},
    {"METRO", "Grenoble-Alpes Metropole"},
    {"CD73", "Departement de la Savoie"},
    {"ONF", "Office national des forets"},
    {"C2C", "Camptocamp"},
    {"SDIS", "Service departemental d'incendie et de secours"},
    {"UGA", "Universite Grenoble Alpes"},
};
constexpr std::string_view first_names[] = {
    "jdupont", "mmartin",  "agarcia",  "lbernard", "cpetit",  "sdurand", "nleroy",   "pmoreau",
    "esimon",  "blaurent", "tlefevre", "vmichel",  "fgirard", "aandre",  "rmercier", "hbonnet"};

enum class Agent { browser, qgis, arcgis, script, bot };

struct AgentKind {
    Agent agent;
    double share;     // of clients
    double logged_in; // chance that a client of this kind has a login
};

constexpr AgentKind agent_kinds[] = {{Agent::browser, 0.58, 0.2},
                                     {Agent::qgis, 0.14, 0.55},
                                     {Agent::arcgis, 0.06, 0.55},
                                     {Agent::script, 0.14, 0.25},
                                     {Agent::bot, 0.08, 0.0}};

std::string browser_agent(Random& r) {
    const int chrome = static_cast<int>(r.between(118, 131));
    const int firefox = static_cast<int>(r.between(115, 133));
    switch (r.below(6)) {
    case 0:
    case 1:
        return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/" +
               std::to_string(chrome) + ".0.0.0 Safari/537.36";
    case 2:
        return "Mozilla/5.0 (X11; Linux x86_64; rv:" + std::to_string(firefox) +
               ".0) Gecko/20100101 Firefox/" + std::to_string(firefox) + ".0";
    case 3:
        return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
               "Gecko) Version/17." +
               std::to_string(r.between(0, 6)) + " Safari/605.1.15";
    case 4:
        return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/" +
               std::to_string(chrome) + ".0.0.0 Safari/537.36 Edg/" + std::to_string(chrome) +
               ".0.0.0";
    default:
        return "Mozilla/5.0 (iPhone; CPU iPhone OS 17_" + std::to_string(r.between(1, 6)) +
               " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
               "Mobile/15E148 Safari/604.1";
    }
}

std::string gis_agent(Agent agent, Random& r) {
    if (agent == Agent::arcgis) {
        return r.chance(0.8) ? "ArcGIS Pro 3." + std::to_string(r.between(1, 4)) +
                                   ".0 (00000000000) - ArcGISPro"
                             : "ArcGIS Client Using WinInet";
    }
    static constexpr std::string_view qgis[] = {"33404", "33410", "34202",
                                                "34207", "34004", "32813"};
    static constexpr std::string_view systems[] = {"Windows 10 Version 2009", "Linux",
                                                   "Windows 11 Version 2009", "Darwin"};
    return "Mozilla/5.0 QGIS/" + std::string(qgis[r.below(std::size(qgis))]) + "/" +
           std::string(systems[r.below(std::size(systems))]);
}

std::string script_agent(Random& r) {
    switch (r.below(7)) {
    case 0:
        return "python-requests/2." + std::to_string(r.between(25, 32)) + ".0";
    case 1:
        return "OWSLib 0.29." + std::to_string(r.between(0, 3)) +
               " (https://owslib.readthedocs.io)";
    case 2:
        return "GDAL WMS driver (http://www.gdal.org/frmt_wms.html)";
    case 3:
        return "curl/7.88.1";
    case 4:
        return "FME/2023.7.2.23772 libcurl/8.4.0 (OpenSSL/3.0.12) Schannel zlib/1.3";
    case 5:
        return "JOSM/1.5 (18822 fr) Windows 10 64-Bit";
    default:
        return "Java/17.0.9";
    }
}

std::string bot_agent(Random& r) {
    switch (r.below(4)) {
    case 0:
        return "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    case 1:
        return "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";
    case 2:
        return "check_http/v2.3.3 (monitoring-plugins 2.3.3)";
    default:
        return "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)";
    }
}

// ---- Requests ---------------------------------------------------------------

enum class Kind {
    wms_getmap,
    wms_featureinfo,
    wms_legend,
    wms_capabilities,
    wmts_kvp,
    wmts_rest,
    wfs_getfeature,
    wfs_describe,
    wfs_capabilities,
    wcs_getcoverage,
    ogcapi_items,
    mapserver_getmap,
    mapproxy_tile,
    mapproxy_wms,
    csw_getrecords,
    dataapi_items,
    catalogue_search,
    web_page,
    web_asset,
    robots,
};

struct KindWeight {
    Kind kind;
    double weight;
};

const std::vector<KindWeight>& habits(Agent agent) {
    static const std::vector<KindWeight> browser = {
        {Kind::wmts_rest, 16},   {Kind::wmts_kvp, 12},       {Kind::mapproxy_tile, 12},
        {Kind::wms_getmap, 14},  {Kind::wms_featureinfo, 5}, {Kind::wms_legend, 4},
        {Kind::ogcapi_items, 2}, {Kind::dataapi_items, 1},   {Kind::catalogue_search, 4},
        {Kind::web_page, 8},     {Kind::web_asset, 18},      {Kind::wfs_getfeature, 2}};
    static const std::vector<KindWeight> qgis = {
        {Kind::wms_capabilities, 5}, {Kind::wms_getmap, 38},      {Kind::wfs_getfeature, 16},
        {Kind::wfs_describe, 4},     {Kind::wfs_capabilities, 3}, {Kind::wmts_kvp, 12},
        {Kind::ogcapi_items, 5},     {Kind::wcs_getcoverage, 3},  {Kind::mapserver_getmap, 8},
        {Kind::mapproxy_wms, 6}};
    static const std::vector<KindWeight> arcgis = {
        {Kind::wms_capabilities, 8}, {Kind::wms_getmap, 50},      {Kind::wfs_getfeature, 8},
        {Kind::wmts_kvp, 16},        {Kind::mapserver_getmap, 6}, {Kind::wms_featureinfo, 4}};
    static const std::vector<KindWeight> script = {
        {Kind::wfs_getfeature, 30}, {Kind::wcs_getcoverage, 8}, {Kind::dataapi_items, 20},
        {Kind::csw_getrecords, 14}, {Kind::ogcapi_items, 14},   {Kind::wms_capabilities, 5},
        {Kind::wms_getmap, 6},      {Kind::catalogue_search, 3}};
    static const std::vector<KindWeight> bot = {
        {Kind::wms_capabilities, 20}, {Kind::wfs_capabilities, 8}, {Kind::csw_getrecords, 8},
        {Kind::web_page, 40},         {Kind::robots, 16},          {Kind::web_asset, 8}};
    switch (agent) {
    case Agent::browser:
        return browser;
    case Agent::qgis:
        return qgis;
    case Agent::arcgis:
        return arcgis;
    case Agent::script:
        return script;
    case Agent::bot:
        return bot;
    }
    return browser;
}

std::string layer_name(const Layer& layer) {
    return std::string(layer.workspace) + ":" + std::string(layer.name);
}

std::string bbox(Random& r) {
    const double x = 850000 + r.uniform() * 200000;
    const double y = 6400000 + r.uniform() * 200000;
    const double side = 500 * std::pow(2.0, static_cast<double>(r.between(0, 8)));
    char text[128];
    std::snprintf(text, sizeof text, "%.1f,%.1f,%.1f,%.1f", x, y, x + side, y + side * 0.7);
    return text;
}

} // namespace

std::string percent_encode(std::string_view value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
            u == '-' || u == '_' || u == '.' || u == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

double rhythm_factor(int weekday, int hour) noexcept {
    // Office hours with a lunch dip; nights are bots and scripts.
    static constexpr double hours[24] = {0.18, 0.12, 0.1,  0.1, 0.12, 0.2,  0.45, 0.9,
                                         1.55, 1.95, 2.05, 1.9, 1.35, 1.5,  1.9,  1.95,
                                         1.8,  1.4,  0.95, 0.7, 0.55, 0.45, 0.35, 0.25};
    static constexpr double days[7] = {1.08, 1.12, 1.12, 1.1, 1.0, 0.4, 0.33};
    // Normalised so that the week averages 1.
    static const double mean = [] {
        double sum = 0;
        for (double d : days) {
            for (double h : hours) {
                sum += d * h;
            }
        }
        return sum / (7 * 24);
    }();
    return days[weekday % 7] * hours[hour % 24] / mean;
}

void for_each_hour(std::int64_t from_us, std::int64_t to_us, double rate_per_hour, Random& random,
                   const std::function<std::int64_t(std::int64_t)>& to_local,
                   const std::function<void(std::int64_t, std::uint64_t)>& each_hour) {
    auto floor_div = [](std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); };
    for (std::int64_t hour = floor_div(from_us, hour_us) * hour_us; hour < to_us; hour += hour_us) {
        const std::int64_t local = to_local(hour + hour_us / 2);
        const std::int64_t local_day = floor_div(local, day_us);
        const int weekday = static_cast<int>(((local_day + 3) % 7 + 7) % 7); // 1970-01-01: Thu
        const int local_hour = static_cast<int>((local - local_day * day_us) / hour_us);
        each_hour(hour, random.poisson(rate_per_hour * rhythm_factor(weekday, local_hour)));
    }
}

std::vector<std::int64_t> instants_in_hour(std::int64_t start_us, std::uint64_t count,
                                           Random& random) {
    std::vector<std::int64_t> instants(count);
    for (auto& t : instants) {
        // Millisecond precision, as access logs usually have at most.
        t = start_us + static_cast<std::int64_t>(random.below(3600000)) * 1000;
    }
    std::sort(instants.begin(), instants.end());
    return instants;
}

struct PlatformTraffic::Client {
    Agent agent;
    std::string ip;
    std::string user_agent;
    const User* user;
    std::size_t favourite_layer;
    WeightedChoice kinds;
    std::string referrer_base; // browsers: where their map pages live
};

PlatformTraffic::PlatformTraffic(std::uint64_t seed) : m_random(seed) {
    Random& r = m_random;
    for (std::size_t i = 0; i < std::size(first_names) * 3; ++i) {
        const auto& org = orgs[r.below(std::size(orgs))];
        User user;
        user.name = std::string(first_names[i % std::size(first_names)]) +
                    (i < std::size(first_names) ? "" : std::to_string(i / std::size(first_names)));
        user.org_id = std::string(org[0]);
        user.org_name = std::string(org[1]);
        user.roles = r.chance(0.1) ? "ROLE_USER,ROLE_MAPSTORE_ADMIN,ROLE_GN_EDITOR" : "ROLE_USER";
        m_users.push_back(std::move(user));
    }
    std::vector<double> kind_shares;
    for (const auto& kind : agent_kinds) {
        kind_shares.push_back(kind.share);
    }
    const WeightedChoice agent_choice(kind_shares);
    std::vector<double> popularity;
    constexpr std::size_t client_count = 800;
    for (std::size_t i = 0; i < client_count; ++i) {
        const AgentKind& kind = agent_kinds[agent_choice.pick(r)];
        Client client{kind.agent, {}, {}, nullptr, layer_choice().pick(r), {}, {}};
        const int net = static_cast<int>(r.below(5));
        static constexpr std::string_view prefixes[] = {"10.12.", "172.18.", "192.168.",
                                                        "203.0.113.", "198.51.100."};
        client.ip = std::string(prefixes[net]) +
                    (net >= 3 ? "" : std::to_string(r.between(0, 254)) + ".") +
                    std::to_string(r.between(1, 254));
        switch (kind.agent) {
        case Agent::browser:
            client.user_agent = browser_agent(r);
            break;
        case Agent::qgis:
        case Agent::arcgis:
            client.user_agent = gis_agent(kind.agent, r);
            break;
        case Agent::script:
            client.user_agent = script_agent(r);
            break;
        case Agent::bot:
            client.user_agent = bot_agent(r);
            break;
        }
        if (r.chance(kind.logged_in)) {
            client.user = &m_users[r.below(m_users.size())];
        }
        std::vector<double> weights;
        for (const auto& habit : habits(kind.agent)) {
            weights.push_back(habit.weight);
        }
        client.kinds = WeightedChoice(weights);
        if (kind.agent == Agent::browser) {
            static constexpr std::string_view referrers[] = {
                "https://geo.example.org/mapstore/",
                "https://geo.example.org/datahub/dataset/",
                "https://geo.example.org/geonetwork/srv/fre/catalog.search",
                "https://www.google.com/",
                "https://www.isere.gouv.fr/cartes",
                "https://data.grenoble-metropole.fr/",
                "https://fr.wikipedia.org/wiki/Isere"};
            client.referrer_base = std::string(referrers[r.below(std::size(referrers))]);
        }
        // Zipf-like: a few heavy clients, a long tail; bots are steady but light.
        popularity.push_back((kind.agent == Agent::bot ? 0.3 : 1.0) /
                             std::pow(static_cast<double>(i + 1), 0.85));
        m_clients.push_back(std::move(client));
    }
    m_client_choice = WeightedChoice(popularity);
}

PlatformTraffic::~PlatformTraffic() = default;

void PlatformTraffic::next(std::int64_t ts_us, SyntheticRequest& out) {
    Random& r = m_random;
    const Client& client = m_clients[m_client_choice.pick(r)];
    const Kind kind = habits(client.agent)[client.kinds.pick(r)].kind;
    const Layer& layer =
        geoserver_layers[r.chance(0.5) ? client.favourite_layer : layer_choice().pick(r)];

    out.ts_us = ts_us;
    out.serial = ++m_serial;
    out.client_ip = client.ip;
    out.method = "GET";
    out.parameters.clear();
    out.status = 200;
    out.user_agent = client.user_agent;
    out.user = client.user;
    out.server_address = "geo.example.org";
    out.referrer.clear();
    if (client.agent == Agent::browser) {
        out.referrer = client.referrer_base;
        if (client.referrer_base.find("/mapstore/") != std::string::npos) {
            out.referrer += "#/viewer/" + std::to_string(1000 + client.favourite_layer * 7);
        } else if (client.referrer_base.find("/dataset/") != std::string::npos) {
            out.referrer += std::to_string(4000 + client.favourite_layer);
        }
    }

    double median_ms = 40;
    double median_size = 20000;
    auto param = [&out](std::string key, std::string value) {
        out.parameters.emplace_back(std::move(key), std::move(value));
    };
    // The three parameters every OGC KVP request starts with, in this order.
    auto ows = [&param](std::string service, std::string version, std::string request) {
        param("SERVICE", std::move(service));
        param("VERSION", std::move(version));
        param("REQUEST", std::move(request));
    };
    const bool workspace_path = r.chance(0.4); // /geoserver/{ws}/wms with a bare layer name
    const std::string ws(layer.workspace);
    const std::string qualified = layer_name(layer);
    const std::string ows_layer = workspace_path ? std::string(layer.name) : qualified;
    const std::string geoserver_base = workspace_path ? "/geoserver/" + ws + "/" : "/geoserver/";

    switch (kind) {
    case Kind::wms_getmap:
    case Kind::wms_featureinfo: {
        const bool info = kind == Kind::wms_featureinfo;
        out.path = geoserver_base + (r.chance(0.7) ? "wms" : "ows");
        const bool v13 = r.chance(0.6);
        ows("WMS", v13 ? "1.3.0" : "1.1.1", info ? "GetFeatureInfo" : "GetMap");
        param("FORMAT", r.chance(0.8) ? "image/png" : "image/jpeg");
        param("TRANSPARENT", "true");
        // Now and then two layers in one request (qualified: no workspace in the path).
        param("LAYERS", !workspace_path && r.chance(0.15)
                            ? qualified + "," + layer_name(geoserver_layers[0])
                            : ows_layer);
        param(v13 ? "CRS" : "SRS", r.chance(0.7) ? "EPSG:3857" : "EPSG:2154");
        param("STYLES", "");
        const int side = r.chance(0.7) ? 256 : static_cast<int>(r.between(400, 1600));
        param("WIDTH", std::to_string(side));
        param("HEIGHT", std::to_string(side));
        param("BBOX", bbox(r));
        if (client.agent == Agent::browser && !info && r.chance(0.3)) {
            param("TILED", "true");
        }
        if (info) {
            param("QUERY_LAYERS", ows_layer);
            param("INFO_FORMAT", "application/json");
            param(v13 ? "I" : "X", std::to_string(r.between(0, side - 1)));
            param(v13 ? "J" : "Y", std::to_string(r.between(0, side - 1)));
            median_ms = 60;
            median_size = 900;
        } else {
            median_ms = 110;
            median_size = 60000.0 * side / 256;
        }
        break;
    }
    case Kind::wms_legend:
        out.path = "/geoserver/wms";
        param("REQUEST", "GetLegendGraphic");
        param("VERSION", "1.0.0");
        param("FORMAT", "image/png");
        param("WIDTH", "20");
        param("HEIGHT", "20");
        param("LAYER", qualified);
        median_ms = 15;
        median_size = 1200;
        break;
    case Kind::wms_capabilities:
    case Kind::wfs_capabilities: {
        const bool wfs = kind == Kind::wfs_capabilities;
        out.path = geoserver_base + (wfs ? "wfs" : (r.chance(0.5) ? "ows" : "wms"));
        param(r.chance(0.5) ? "SERVICE" : "service", wfs ? "WFS" : "WMS");
        param(r.chance(0.5) ? "REQUEST" : "request", "GetCapabilities");
        if (r.chance(0.6)) {
            param("VERSION", wfs ? "2.0.0" : "1.3.0");
        }
        median_ms = 180;
        median_size = workspace_path ? 40000 : 350000;
        break;
    }
    case Kind::wmts_kvp: {
        out.path = "/geoserver/gwc/service/wmts";
        const int z = static_cast<int>(r.between(6, 18));
        ows("WMTS", "1.0.0", "GetTile");
        param("LAYER", qualified);
        param("STYLE", "");
        param("TILEMATRIXSET", "EPSG:3857");
        param("TILEMATRIX", "EPSG:3857:" + std::to_string(z));
        param("TILEROW", std::to_string(r.below(1ULL << z)));
        param("TILECOL", std::to_string(r.below(1ULL << z)));
        param("FORMAT", "image/png");
        median_ms = 12;
        median_size = 18000;
        break;
    }
    case Kind::wmts_rest: {
        const int z = static_cast<int>(r.between(6, 18));
        out.path = "/geoserver/gwc/rest/wmts/" + qualified +
                   "/default/EPSG:3857/EPSG:3857:" + std::to_string(z) + "/" +
                   std::to_string(r.below(1ULL << z)) + "/" + std::to_string(r.below(1ULL << z));
        param("format", "image/png");
        median_ms = 10;
        median_size = 16000;
        break;
    }
    case Kind::wfs_getfeature: {
        out.path = geoserver_base + (r.chance(0.5) ? "wfs" : "ows");
        static constexpr std::string_view formats[] = {
            "application/json", "application/json", "csv", "SHAPE-ZIP", "GML3", "excel2007"};
        const std::string_view format = client.agent == Agent::script
                                            ? formats[r.below(std::size(formats))]
                                            : (r.chance(0.7) ? "GML3" : "application/json");
        const bool v2 = r.chance(0.6);
        ows("WFS", v2 ? "2.0.0" : "1.1.0", "GetFeature");
        param(v2 ? "TYPENAMES" : "TYPENAME", ows_layer);
        param("OUTPUTFORMAT", std::string(format));
        if (r.chance(0.5)) {
            param(v2 ? "COUNT" : "MAXFEATURES", std::to_string(r.between(1, 5) * 1000));
        }
        if (r.chance(0.4)) {
            param("BBOX", bbox(r) + ",EPSG:2154");
        }
        median_ms = 450;
        median_size = format == "SHAPE-ZIP" ? 4.0e6 : 600000;
        if (layer.restricted && client.user == nullptr) {
            out.status = 403;
        }
        break;
    }
    case Kind::wfs_describe:
        out.path = geoserver_base + "wfs";
        ows("WFS", "2.0.0", "DescribeFeatureType");
        param("TYPENAMES", ows_layer);
        median_ms = 30;
        median_size = 2500;
        break;
    case Kind::wcs_getcoverage:
        out.path = "/geoserver/wcs";
        ows("WCS", "2.0.1", "GetCoverage");
        param("COVERAGEID", "psc__ortho_2022");
        param("FORMAT", "image/tiff");
        median_ms = 2500;
        median_size = 2.5e7;
        break;
    case Kind::ogcapi_items:
        out.path = "/geoserver/ogc/features/v1/collections/" + qualified + "/items";
        param("f", r.chance(0.8) ? "application/geo+json" : "text/html");
        param("limit", std::to_string(r.chance(0.5) ? 100 : 1000));
        median_ms = 220;
        median_size = 150000;
        break;
    case Kind::mapserver_getmap: {
        const auto& map = mapserver_maps[r.below(std::size(mapserver_maps))];
        out.path = "/mapserver/" + std::string(map[0]);
        ows("WMS", "1.3.0", "GetMap");
        param("LAYERS", std::string(map[1]));
        param("STYLES", "");
        param("CRS", "EPSG:2154");
        param("BBOX", bbox(r));
        param("WIDTH", "1024");
        param("HEIGHT", "768");
        param("FORMAT", "image/jpeg");
        median_ms = 320;
        median_size = 450000;
        break;
    }
    case Kind::mapproxy_tile: {
        const std::string layer_id(mapproxy_layers[r.below(std::size(mapproxy_layers))]);
        const int z = static_cast<int>(r.between(5, 19));
        const std::string xyz = std::to_string(z) + "/" + std::to_string(r.below(1ULL << z)) + "/" +
                                std::to_string(r.below(1ULL << z));
        out.path = r.chance(0.5)
                       ? "/mapproxy/tms/1.0.0/" + layer_id + "/EPSG3857/" + xyz + ".png"
                       : "/mapproxy/wmts/" + layer_id + "/GLOBAL_WEBMERCATOR/" + xyz + ".png";
        median_ms = 8;
        median_size = 22000;
        if (r.chance(0.03)) {
            out.status = 404; // beyond the cached extent
        }
        break;
    }
    case Kind::mapproxy_wms:
        out.path = "/mapproxy/service";
        ows("WMS", "1.1.1", "GetMap");
        param("LAYERS", std::string(mapproxy_layers[r.below(std::size(mapproxy_layers))]));
        param("SRS", "EPSG:3857");
        param("BBOX", bbox(r));
        param("WIDTH", "512");
        param("HEIGHT", "512");
        param("FORMAT", "image/png");
        median_ms = 90;
        median_size = 120000;
        break;
    case Kind::csw_getrecords:
        out.path = "/geonetwork/srv/fre/csw";
        param("service", "CSW");
        param("version", "2.0.2");
        param("request", r.chance(0.7) ? "GetRecords" : "GetCapabilities");
        param("resultType", "results");
        param("elementSetName", "brief");
        median_ms = 350;
        median_size = 30000;
        break;
    case Kind::dataapi_items: {
        static constexpr std::string_view formats[] = {"json", "geojson", "csv", "shapefile",
                                                       "ooxml"};
        out.path = "/data/ogcapi/collections/" +
                   std::string(dataapi_collections[r.below(std::size(dataapi_collections))]) +
                   "/items";
        param("f", std::string(formats[r.below(std::size(formats))]));
        param("limit", r.chance(0.3) ? "-1" : "1000");
        median_ms = 900;
        median_size = 1.5e6;
        break;
    }
    case Kind::catalogue_search:
        out.method = "POST";
        out.path = "/geonetwork/srv/api/search/records/_search";
        param("bucket", "bucket");
        median_ms = 120;
        median_size = 45000;
        break;
    case Kind::web_page: {
        static constexpr std::string_view pages[] = {"/mapstore/",
                                                     "/datahub/",
                                                     "/datahub/search",
                                                     "/geonetwork/srv/fre/catalog.search",
                                                     "/mapstore/#/viewer/1042",
                                                     "/",
                                                     "/header/",
                                                     "/login"};
        out.path = std::string(pages[r.below(std::size(pages))]);
        if (out.path.find('#') != std::string::npos) {
            out.path = out.path.substr(0, out.path.find('#')); // fragments stay in the browser
        }
        median_ms = 25;
        median_size = 8000;
        break;
    }
    case Kind::web_asset: {
        static constexpr std::string_view assets[] = {"/mapstore/dist/ms2-geostore.js",
                                                      "/mapstore/dist/themes/default.css",
                                                      "/mapstore/configs/localConfig.json",
                                                      "/datahub/main.js",
                                                      "/datahub/styles.css",
                                                      "/favicon.ico",
                                                      "/header/img/logo.png"};
        out.path = std::string(assets[r.below(std::size(assets))]);
        median_ms = 4;
        median_size = 90000;
        if (r.chance(0.25)) {
            out.status = 304;
        }
        break;
    }
    case Kind::robots:
        out.path = "/robots.txt";
        median_ms = 2;
        median_size = 120;
        if (r.chance(0.5)) {
            out.status = 404;
        }
        break;
    }

    // Rare failures everywhere.
    if (out.status == 200) {
        const double failure = r.uniform();
        if (failure < 0.004) {
            out.status = 500;
        } else if (failure < 0.006) {
            out.status = 503;
        } else if (failure < 0.015 && !out.parameters.empty()) {
            out.status = 400;
        }
    }

    out.app = out.path.size() > 1 ? out.path.substr(1, out.path.find('/', 1) - 1) : "";
    out.query.clear();
    for (const auto& [key, value] : out.parameters) {
        if (!out.query.empty()) {
            out.query += '&';
        }
        out.query += key;
        out.query += '=';
        out.query += percent_encode(value);
    }
    if (out.method == "POST") { // a JSON body, no query string
        out.parameters.clear();
        out.query.clear();
    }
    out.response_ms = std::max(0.5, r.lognormal(median_ms, 0.7));
    if (out.status == 304) {
        out.size = -1;
    } else if (out.status >= 400) {
        out.size = static_cast<std::int64_t>(r.between(150, 900));
        out.response_ms = std::max(0.5, r.lognormal(out.status >= 500 ? 3000 : 8, 0.5));
    } else {
        out.size = static_cast<std::int64_t>(std::max(40.0, r.lognormal(median_size, 0.6)));
    }
}

} // namespace analytics::generate
