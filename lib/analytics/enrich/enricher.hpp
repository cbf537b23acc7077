#pragma once

// Turns what a format parser extracted into a complete access_logs record:
// request path and parameters, user, application, OGC classification, user
// agent, referrer, UTM and client fields, privacy rules (SPEC §4).

#include <analytics/config/config.hpp>
#include <analytics/enrich/geoip.hpp>
#include <analytics/enrich/ogc.hpp>
#include <analytics/enrich/user_agent.hpp>
#include <analytics/enrich/visitor_key.hpp>
#include <analytics/record/access_record.hpp>
#include <analytics/record/request_extras.hpp>

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace analytics::enrich {

// Odd values that were stored fixed up; counted per kind in the summary.
struct EnrichWarnings {
    std::map<std::string, std::size_t> counts;

    void add(const std::string& what) { ++counts[what]; }
};

class Enricher {
  public:
    // user_agents may be null: user-agent columns then stay NULL.
    Enricher(const config::Config& config, UserAgentParser* user_agents);
    // Not copied: m_processor_settings may point into the object itself.
    Enricher(const Enricher&) = delete;
    Enricher& operator=(const Enricher&) = delete;

    // --extra key=value pairs applied to every record (override parsed values).
    void set_extras(std::vector<std::pair<std::string, std::string>> extras);

    // Visitor keys for new records (ingest, process); without, a record's
    // visitor_key stays as it is (reprocess keeps the stored one: its salt
    // may be gone).
    void set_visitor_keys(VisitorKeys* keys) { m_visitor_keys = keys; }

    // Country codes from the client address (geoip.database); null: none.
    void set_countries(const CountryDatabase* countries) { m_countries = countries; }

    void enrich(record::AccessRecord& record, record::RequestExtras& extras,
                EnrichWarnings& warnings);

  private:
    void derive_request(record::AccessRecord& record, record::RequestExtras& extras,
                        EnrichWarnings& warnings);
    void derive_user(record::AccessRecord& record, const record::RequestExtras& extras);
    void derive_application(record::AccessRecord& record, record::RequestExtras& extras,
                            EnrichWarnings& warnings);
    void derive_user_agent(record::AccessRecord& record);
    void derive_referrer(record::AccessRecord& record, const record::RequestExtras& extras);
    void apply_privacy(record::AccessRecord& record);
    void clamp_values(record::AccessRecord& record, EnrichWarnings& warnings);

    const config::Config& m_config;
    UserAgentParser* m_user_agents;
    VisitorKeys* m_visitor_keys = nullptr;
    const CountryDatabase* m_countries = nullptr;
    std::map<std::string, std::string> m_apps_mapping; // keys normalised to "/seg/" form
    std::vector<std::pair<std::string, std::string>> m_extras;
    // data_privacy.keys_blacklist resolved once: the columns it names, and
    // the request parameters (every other name).
    std::vector<record::Nullable record::AccessRecord::*> m_blacklisted_columns;
    bool m_blacklisted_roles = false;
    std::vector<std::string> m_blacklisted_parameters;
    // A processor without an app_processors block infers neither tiles nor
    // downloads, as geOrchestra's analytics-cli runs it with an empty block
    // (it borrowed GeoServer's block before 0.2).
    const config::AppProcessor m_default_processor{};
    // By Processor: its block of m_config, or m_default_processor.
    std::array<const config::AppProcessor*, processor_count> m_processor_settings{};
    std::string m_scratch;
};

// "/geoserver/psc/wms" → "/geoserver/"; "/" and "" → "/".
std::string app_path_of(std::string_view request_path);
// Any written form ("geoserver", "/geoserver", "/geoserver/", "/") → "/geoserver/" or "/".
std::string normalize_app_path(std::string_view app_path);
// 192.168.1.70 → 192.168.1.0, 2001:db8:1:2::5 → 2001:db8:1:: (/24, /48).
std::string anonymize_ip(std::string_view ip);
// What one record may carry in request_details: a hostile line with 200,000
// parameters or a 10 MB value is stored bounded, the rest counted in a warning.
inline constexpr std::size_t max_request_parameters = 256;
inline constexpr std::size_t max_request_parameter_name = 100;   // bytes
inline constexpr std::size_t max_request_parameter_value = 1000; // characters
inline const std::string parameters_not_kept =
    "query parameters beyond the first 256 (or with names over 100 bytes) not kept";
inline const std::string parameter_values_cut = "query parameter values cut to 1000 characters";

struct QueryScan {
    bool has_secret = false;
    std::size_t not_kept = 0;   // over max_request_parameters, or a too long name
    std::size_t values_cut = 0; // over max_request_parameter_value
    bool may_nest = false;      // a raw key or value may hold a key=value of its own
};

// Adds the parameters of a query string to details as the enricher does
// (keys and values decoded and lower-cased, blank values dropped, the first
// of repeated keys kept, secrets left out and redacted in the addresses
// values carry, the bounds above applied).
QueryScan add_query_parameters(std::string_view query, record::JsonObject& details);

} // namespace analytics::enrich
