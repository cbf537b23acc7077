#include <analytics/generate/geoportal_traffic.hpp>
#include <analytics/generate/traffic.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/json_text.hpp>

#include <cmath>
#include <string_view>

namespace analytics::generate {

namespace {

constexpr std::string_view institutions[] = {"stanford", "umn", "psu",    "uiowa", "wisc",
                                             "msu",      "osu", "purdue", "umich", "illinois"};
constexpr std::string_view queries[] = {"minnesota",
                                        "land cover",
                                        "1930 aerial photography",
                                        "railroads",
                                        "county boundaries",
                                        "wetlands",
                                        "soils",
                                        "sanborn maps",
                                        "lidar",
                                        "watersheds",
                                        "census 2020",
                                        "glacial lakes",
                                        "chicago",
                                        "roads",
                                        "elevation"};
constexpr std::string_view views[] = {"list", "list", "list", "gallery", "map"};
constexpr std::string_view sorts[] = {"relevance", "relevance", "year_desc", "title_asc"};
constexpr std::string_view fields[] = {"all_fields", "all_fields", "title", "subject", "placename"};

std::string naive_utc(std::int64_t ts_us) {
    std::string text = time::format_iso_utc(ts_us);
    if (!text.empty() && text.back() == 'Z') {
        text.pop_back(); // the BTAA API logs utcnow(): no offset
    }
    return text;
}

std::string hex_id(std::string_view prefix, std::uint64_t value) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string id(prefix);
    for (int i = 15; i >= 0; --i) {
        id += hex[(value >> (4 * i)) & 15];
    }
    return id;
}

} // namespace

GeoportalTraffic::GeoportalTraffic(std::uint64_t seed) : m_random(seed ^ 0x5eed0f6e0b0a7a1ULL) {
    Random& r = m_random;
    for (int i = 0; i < 600; ++i) {
        m_resources.push_back(std::string(institutions[r.below(std::size(institutions))]) + "-" +
                              hex_id("", r.next()).substr(10));
    }
    std::vector<double> popularity;
    for (std::size_t i = 0; i < m_resources.size(); ++i) {
        popularity.push_back(1.0 / std::pow(static_cast<double>(i + 1), 0.7));
    }
    m_resource_choice = WeightedChoice(popularity);

    std::vector<double> weights;
    for (int i = 0; i < 500; ++i) {
        Visitor v;
        v.visit_token = hex_id("v-", r.next());
        const double kind = r.uniform();
        v.ip = "198.51.100." + std::to_string(r.between(1, 254));
        v.tier_id = 0;
        v.api_key_id = 0;
        if (kind < 0.75) {
            v.client_name = "geoportal-web";
            v.client_version = "2.4." + std::to_string(r.between(0, 3));
            v.client_channel = "browser";
            v.user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
                           "like Gecko) Chrome/" +
                           std::to_string(r.between(120, 131)) + ".0.0.0 Safari/537.36";
            v.tier_id = 6;
        } else if (kind < 0.88) {
            v.client_name = "btaa-geo-api-cli";
            v.client_version = "0.3." + std::to_string(r.between(0, 2));
            v.client_channel = "cli";
            v.client_instance = "instance-" + std::to_string(r.between(1, 40));
            v.user_agent = "BTAA-Geo-API-CLI/" + v.client_version;
            v.tier_id = 3;
            v.api_key_id = static_cast<long>(r.between(100, 160));
        } else {
            v.user_agent = r.chance(0.5) ? "python-requests/2.31.0" : "curl/8.4.0";
            v.tier_id = r.chance(0.5) ? 2 : 7;
            v.api_key_id = v.tier_id == 2 ? static_cast<long>(r.between(1, 30)) : 0;
        }
        m_visitors.push_back(std::move(v));
        weights.push_back(1.0 / std::pow(i + 1.0, 0.8));
    }
    m_visitor_choice = WeightedChoice(weights);
}

const std::string& GeoportalTraffic::resource(Random& r) const {
    return m_resources[m_resource_choice.pick(r)];
}

void GeoportalTraffic::append_api_line(std::int64_t ts_us, std::string& out) {
    Random& r = m_random;
    const Visitor& v = m_visitors[m_visitor_choice.pick(r)];
    ++m_serial;
    std::string endpoint;
    std::string query_params;
    double median_ms = 60;
    const double kind = r.uniform();
    if (kind < 0.45) {
        endpoint = "/api/v1/search";
        query_params = "{";
        JsonMembers query(query_params);
        query.text("q", queries[r.below(std::size(queries))]);
        query.text("page", std::to_string(r.chance(0.8) ? 1 : r.between(2, 5)));
        query_params += "}";
        median_ms = 140;
    } else if (kind < 0.75) {
        endpoint = "/api/v1/resources/" + resource(r);
        median_ms = 45;
    } else if (kind < 0.85) {
        endpoint = "/api/v1/suggest";
        query_params = "{";
        append_json_member(query_params, "q",
                           std::string(queries[r.below(std::size(queries))]).substr(0, 3));
        query_params += "}";
        median_ms = 20;
    } else if (kind < 0.93) {
        endpoint = "/api/v1/resources/" + resource(r) + "/downloads";
        median_ms = 80;
    } else {
        endpoint = "/api/v1/resources/" + resource(r) + "/thumbnail";
        median_ms = 30;
    }
    int status = 200;
    const double failure = r.uniform();
    if (v.tier_id == 7 && failure < 0.2) {
        status = 429; // the anonymous tier is rate-limited
    } else if (failure < 0.02 && endpoint.rfind("/api/v1/resources/", 0) == 0) {
        status = 404;
    } else if (failure < 0.025) {
        status = 500;
    }

    out += '{';
    JsonMembers line(out);
    if (v.tier_id != 0) {
        line.number("tier_id", v.tier_id);
    }
    if (v.api_key_id != 0) {
        line.number("api_key_id", v.api_key_id);
    } else {
        line.value("api_key_id") += "null";
    }
    line.text("endpoint", endpoint).text("method", "GET").number("status_code", status);
    line.text("requested_at", naive_utc(ts_us));
    line.number("response_time_ms",
                status == 429 ? 0 : static_cast<std::int64_t>(r.lognormal(median_ms, 0.6) + 0.5));
    line.text("ip_address", v.ip).text("user_agent", v.user_agent);
    if (v.client_channel == "browser") {
        line.text("referrer", "https://geo.btaa.org/search?q=maps");
        line.text("visit_token", v.visit_token);
    }
    if (!v.client_name.empty()) {
        line.text("client_name", v.client_name);
        line.text("client_version", v.client_version);
        line.text("client_channel", v.client_channel);
    }
    if (!v.client_instance.empty()) {
        line.text("client_instance", v.client_instance);
    }
    if (v.client_channel == "browser" && r.chance(0.15)) {
        line.text("utm_source", "newsletter").text("utm_medium", "email");
        line.text("utm_campaign", "fall-2026");
    }
    std::string& properties = line.value("properties");
    properties += '{';
    JsonMembers property(properties);
    if (!query_params.empty()) {
        property.value("query_params") += query_params;
    }
    property.text("origin", "https://geo.btaa.org");
    out += "}}\n";
}

void GeoportalTraffic::append_beacon_line(std::int64_t ts_us, std::string& out) {
    Random& r = m_random;
    const Visitor* v = &m_visitors[m_visitor_choice.pick(r)];
    if (v->client_name.empty()) {
        v = &m_visitors[0]; // beacons come from the geoportal's clients only
    }
    ++m_serial;
    const std::string search_id = hex_id("s-", m_serial * 0x9e3779b97f4a7c15ULL ^ r.next());
    const std::string at = time::format_iso_utc(ts_us);
    const bool zero = r.chance(0.08);
    const std::int64_t results = zero ? 0 : static_cast<std::int64_t>(r.lognormal(180, 1.2)) + 1;
    const std::int64_t per_page = v->client_channel == "cli" ? 20 : 10;
    const std::int64_t page = r.chance(0.85) ? 1 : r.between(2, 4);
    const std::string_view view =
        v->client_channel == "cli" ? "cli" : views[r.below(std::size(views))];

    out += '{';
    JsonMembers line(out);
    append_json_string(line.value("received_at"), time::format_iso_utc(ts_us + 150000));
    line.value("headers") += '{';
    JsonMembers headers(out);
    headers.text("Content-Type", "text/plain;charset=UTF-8").text("Origin", "https://geo.btaa.org");
    headers.text("X-Visit-Token", v->visit_token).text("X-BTAA-Client-Name", v->client_name);
    headers.text("X-BTAA-Client-Version", v->client_version);
    headers.text("X-BTAA-Client-Channel", v->client_channel);
    if (!v->client_instance.empty()) {
        headers.text("X-BTAA-Client-Instance", v->client_instance);
    }
    out += '}';
    line.value("body") += "{\"searches\":[{";
    JsonMembers search(out);
    search.text("search_id", search_id).text("occurred_at", at);
    search.text("query", queries[r.below(std::size(queries))]);
    search.number("page", page).number("per_page", per_page).text("view", view);
    search.text("sort", sorts[r.below(std::size(sorts))]);
    search.text("search_field", fields[r.below(std::size(fields))]);
    search.number("results_count", results);
    search.value("zero_results") += zero ? "true" : "false";
    out += "}]";

    const std::int64_t shown = std::min<std::int64_t>(per_page, results - (page - 1) * per_page);
    std::vector<std::string> shown_ids;
    out += ",\"impressions\":[";
    for (std::int64_t rank = 1; rank <= shown; ++rank) {
        shown_ids.push_back(resource(r));
        out += rank == 1 ? "{" : ",{";
        JsonMembers impression(out);
        impression.text("search_id", search_id).text("resource_id", shown_ids.back());
        impression.number("rank", (page - 1) * per_page + rank).number("page", page);
        impression.text("view", view).text("occurred_at", at);
        out += '}';
    }
    out += "],\"events\":[";
    if (!shown_ids.empty() && r.chance(0.55)) {
        const std::size_t clicked = static_cast<std::size_t>(
            std::min<double>(static_cast<double>(shown_ids.size() - 1), r.lognormal(1.2, 0.9)));
        const std::int64_t rank = static_cast<std::int64_t>(clicked) + 1 + (page - 1) * per_page;
        static constexpr std::string_view follow_ups[] = {"resource_view", "download_click",
                                                          "map_preview", "metadata_view"};
        const std::string_view follow_up = follow_ups[r.below(std::size(follow_ups))];
        for (int step = 0; step < (r.chance(0.4) ? 2 : 1); ++step) {
            out += step == 0 ? "{" : ",{";
            JsonMembers event(out);
            event.text("event_id", hex_id("e-", r.next()));
            event.text("event_type", step == 0 ? std::string_view("result_click") : follow_up);
            event.text("search_id", search_id).text("resource_id", shown_ids[clicked]);
            event.number("rank", rank);
            event.text("occurred_at",
                       time::format_iso_utc(ts_us + (step + 1) * r.between(2, 40) * 1000000));
            event.text("source_component", step == 0 ? "search_results" : "resource_page");
            out += '}';
        }
    }
    out += "]}}\n";
}

} // namespace analytics::generate
