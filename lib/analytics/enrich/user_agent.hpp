#pragma once

// User-agent enrichment: a small ordered table of GIS clients first, then
// uap-core's regexes.yaml through RE2, cached per distinct string.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace analytics::enrich {

// One uap-core section's result; empty optionals are YAML nulls.
struct UapAgent {
    std::string family = "Other";
    std::optional<std::string> major, minor, patch;
};

struct UapOs {
    std::string family = "Other";
    std::optional<std::string> major, minor, patch, patch_minor;
};

struct UapDevice {
    std::string family = "Other";
    std::optional<std::string> brand, model;
};

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
    // Loads and compiles regexes.yaml; throws ConfigError naming the file on failure.
    explicit UserAgentParser(const std::string& regexes_yaml_path);
    ~UserAgentParser();
    UserAgentParser(UserAgentParser&&) noexcept;
    UserAgentParser& operator=(UserAgentParser&&) noexcept;

    // uap-core semantics exactly (used by the uap-core test suites).
    UapAgent parse_agent(std::string_view ua) const;
    UapOs parse_os(std::string_view ua) const;
    UapDevice parse_device(std::string_view ua) const;

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
