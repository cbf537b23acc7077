#pragma once

// User-agent enrichment, this project's policy: a small ordered table of GIS
// clients first, then uap-core (uap_parser.hpp), BTAA's device types, and a
// cache per distinct string.

#include <analytics/enrich/uap_parser.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace analytics::enrich {

// What a record gets. Versions are "major.minor" (or "major"), never "N.None".
struct UserAgentInfo {
    std::string family;  // "Other" when nothing matched
    std::string version; // empty when unknown
    std::string os_family;
    std::string os_version;
    std::string device_family;
    std::string device_brand;
    std::string device_model;
    std::string device_type; // mobile, tablet, desktop, bot, other (BTAA rules)
    bool gis_client = false; // matched by the GIS client table
};

class UserAgentParser {
  public:
    // Throws ConfigError naming the file when it cannot be opened; one that
    // is not a usable regexes.yaml throws at the first enrich() (uap_parser.hpp).
    // The compiled regexes are shared by every parser of the file in the
    // process (the --jobs workers); the cache is each parser's own.
    explicit UserAgentParser(const std::string& regexes_yaml_path);
    ~UserAgentParser();
    UserAgentParser(UserAgentParser&&) noexcept;
    UserAgentParser& operator=(UserAgentParser&&) noexcept;

    // The generic engine underneath: uap-core's semantics exactly.
    const UapParser& uap() const noexcept;

    // Full enrichment, GIS clients first; cached per distinct string (bounded).
    const UserAgentInfo& enrich(std::string_view ua);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// What kind of client a user_agent_family is, for reports: "GIS client"
// (the GIS table above uap-core), "browser", "bot", "script" or "other".
const char* client_kind(std::string_view family) noexcept;

} // namespace analytics::enrich
