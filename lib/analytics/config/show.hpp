#pragma once

// Rendering the effective configuration for 'analytics config show'.

#include <analytics/config/config.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace analytics::config {

// Every key with its value; secrets (database.password, a password inside
// database.url) are replaced by "********".
nlohmann::ordered_json to_json(const Config& config);

// The same as YAML, each value that is not a default followed by a comment
// saying where it came from.
std::string to_yaml(const Config& config);

} // namespace analytics::config
