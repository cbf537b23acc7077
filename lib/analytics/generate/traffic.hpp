#pragma once

// A model of a geOrchestra-like platform's traffic: a pool of clients
// (browsers, QGIS, ArcGIS Pro, scripts, bots), each with its own habits,
// asking GeoServer, MapServer, MapProxy, OGC API, a data API, a catalogue
// and plain web pages, with a daily and weekly rhythm. Deterministic for a
// seed: the same seed gives the same requests, whatever the output format.

#include <analytics/generate/random.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace analytics::generate {

struct User {
    std::string name;     // geOrchestra login
    std::string org_id;   // short name, as in the gateway's header
    std::string org_name; // full name
    std::string roles;    // ROLE_A,ROLE_B
};

struct SyntheticRequest {
    std::int64_t ts_us = 0; // UTC
    std::uint64_t serial = 0;
    std::string client_ip;
    std::string method = "GET";
    std::string app; // first path segment, as the gateway names the upstream
    std::string path;
    std::string query;                                           // percent-encoded, without '?'
    std::vector<std::pair<std::string, std::string>> parameters; // decoded
    int status = 200;
    std::int64_t size = -1; // -1: no body
    double response_ms = 0;
    std::string referrer; // empty: none
    std::string user_agent;
    const User* user = nullptr; // nullptr: anonymous
    std::string server_address;
};

// How busy each local hour of the week is, relative to the average.
double rhythm_factor(int weekday, int hour) noexcept; // weekday 0 = Monday

// Calls 'each_hour(hour_start_us, count)' for every hour touching
// [from_us, to_us), with a Poisson count around rate × rhythm.
// 'to_local' maps UTC to local wall-clock microseconds (for the rhythm).
void for_each_hour(std::int64_t from_us, std::int64_t to_us, double rate_per_hour, Random& random,
                   const std::function<std::int64_t(std::int64_t)>& to_local,
                   const std::function<void(std::int64_t, std::uint64_t)>& each_hour);

// Sorted random instants within [start_us, start_us + 1 h).
std::vector<std::int64_t> instants_in_hour(std::int64_t start_us, std::uint64_t count,
                                           Random& random);

class PlatformTraffic {
  public:
    explicit PlatformTraffic(std::uint64_t seed);
    ~PlatformTraffic();
    PlatformTraffic(const PlatformTraffic&) = delete;
    PlatformTraffic& operator=(const PlatformTraffic&) = delete;

    // The next request, at the given instant.
    void next(std::int64_t ts_us, SyntheticRequest& out);

    Random& random() noexcept { return m_random; }

  private:
    struct Client;

    Random m_random;
    std::vector<Client> m_clients;
    std::vector<User> m_users;
    WeightedChoice m_client_choice;
    std::uint64_t m_serial = 0;
};

std::string percent_encode(std::string_view value);

} // namespace analytics::generate
