#pragma once

// A fake environment for tests: only the variables given exist.

#include <analytics/config/env.hpp>

#include <map>
#include <string>

inline analytics::config::EnvLookup fake_env(std::map<std::string, std::string> vars = {}) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        if (it == vars.end() || it->second.empty()) {
            return std::nullopt;
        }
        return it->second;
    };
}
