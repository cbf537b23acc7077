#pragma once

// A geoportal's own traffic, as the BTAA storage receives it: requests to
// its search API (format api-json) and the beacons its web page sends
// (format events: searches, result impressions, clicks). Deterministic for
// a seed.

#include <analytics/generate/random.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace analytics::generate {

class GeoportalTraffic {
  public:
    explicit GeoportalTraffic(std::uint64_t seed);

    // One API request log line (api-json), with its newline.
    void append_api_line(std::int64_t ts_us, std::string& out);

    // One beacon (events): a search with its impressions and, often, clicks.
    void append_beacon_line(std::int64_t ts_us, std::string& out);

    Random& random() noexcept { return m_random; }

  private:
    struct Visitor {
        std::string visit_token;
        std::string client_name;
        std::string client_version;
        std::string client_channel;
        std::string client_instance;
        std::string user_agent;
        std::string ip;
        int tier_id;     // 0: none
        long api_key_id; // 0: none
    };

    const std::string& resource(Random& r) const;

    Random m_random;
    std::vector<Visitor> m_visitors;
    WeightedChoice m_visitor_choice;
    std::vector<std::string> m_resources;
    WeightedChoice m_resource_choice;
    std::uint64_t m_serial = 0;
};

} // namespace analytics::generate
