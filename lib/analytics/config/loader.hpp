#pragma once

// Reading the YAML configuration file and the environment overrides.

#include <analytics/config/config.hpp>
#include <analytics/config/env.hpp>

#include <string>
#include <vector>

namespace analytics::config {

struct LoadOptions {
    // --config; when empty, ANALYTICS_CONFIG, then the default locations.
    std::string explicit_path;
    EnvLookup env = process_env();
};

// Files tried, in order, when no file is named: $XDG_CONFIG_HOME/analytics/config.yaml
// (or ~/.config/...), then /etc/analytics/config.yaml. Missing ones are skipped.
std::vector<std::string> default_locations(const EnvLookup& env);

// Loads and validates; throws ConfigError naming the key, the file and the line.
Config load(const LoadOptions& options);

// Same, from YAML text ('name' is used in messages). For tests and tools.
Config load_from_string(const std::string& yaml, const std::string& name, const EnvLookup& env);

// Applies the environment overrides (ANALYTICS_RETENTION_*, ANALYTICS_PARTITION_*,
// ANALYTICS_ROLLUP_MAX_DAYS_PER_RUN) to 'config'.
void apply_env_overrides(Config& config, const EnvLookup& env);

} // namespace analytics::config
