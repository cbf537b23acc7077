#pragma once

// Environment access that tests can replace.

#include <functional>
#include <optional>
#include <string>

namespace analytics::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Reads the real process environment; empty values count as unset.
EnvLookup process_env();

// Expands ${VAR} and ${VAR:default} in 'text'. Throws std::invalid_argument
// naming the variable when one is unset and has no default, or when a
// reference is not closed.
std::string expand_env(const std::string& text, const EnvLookup& env);

} // namespace analytics::config
