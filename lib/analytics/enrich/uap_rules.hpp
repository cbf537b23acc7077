#pragma once

// uap-core's regexes.yaml as rules: its three sections, each rule's regex
// and the templates of its fields. The layout uap-core writes is read
// directly, in a millisecond; any other YAML is read by yaml-cpp (27 ms for
// uap-core's file: most of a browser user agent's start-up).

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace analytics::enrich {

struct UapRule {
    std::string where;   // "regexes.yaml: device_parsers[12]", for errors
    std::string pattern; // with "(?i)" in front when regex_flag is 'i'
    // The template of each of the section's fields, in order (agent: family,
    // major, minor, patch; os: family, major, minor, patch, patch_minor;
    // device: family, brand, model); nullopt: the field is null.
    std::array<std::optional<std::string>, 5> templates;
};

struct UapRules {
    std::vector<UapRule> agents, oses, devices;
};

enum class UapRulesReader {
    any,      // uap-core's layout directly, else yaml-cpp
    yaml_cpp, // yaml-cpp only (tests compare the two)
};

// Throws ConfigError naming the file when it cannot be read, is not YAML, or
// is not a regexes.yaml (a section missing, a rule without a regex).
UapRules read_uap_rules(const std::string& path, UapRulesReader reader = UapRulesReader::any);

} // namespace analytics::enrich
