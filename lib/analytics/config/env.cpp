#include <analytics/config/env.hpp>

#include <cstdlib>
#include <stdexcept>

namespace analytics::config {

EnvLookup process_env() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr || *value == '\0') {
            return std::nullopt;
        }
        return std::string{value};
    };
}

std::string expand_env(const std::string& text, const EnvLookup& env) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto start = text.find("${", pos);
        if (start == std::string::npos) {
            out.append(text, pos, std::string::npos);
            break;
        }
        out.append(text, pos, start - pos);
        const auto end = text.find('}', start + 2);
        if (end == std::string::npos) {
            throw std::invalid_argument("unterminated '${' in \"" + text + "\"");
        }
        const std::string body = text.substr(start + 2, end - start - 2);
        const auto colon = body.find(':');
        const std::string name = body.substr(0, colon);
        if (name.empty()) {
            throw std::invalid_argument("empty variable name in \"" + text + "\"");
        }
        if (auto value = env(name)) {
            out += *value;
        } else if (colon != std::string::npos) {
            out.append(body, colon + 1, std::string::npos);
        } else {
            throw std::invalid_argument("environment variable " + name +
                                        " is not set and has no default (write ${" + name +
                                        ":default})");
        }
        pos = end + 1;
    }
    return out;
}

} // namespace analytics::config
