#pragma once

// A generic uap-core engine: regexes.yaml through RE2 (behind literal
// prefilters), with uap-core's semantics exactly, so its own test suites pass
// through it (tests/uap). This project's policy on top is user_agent.hpp.

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

// The prefix of a user agent that is parsed (4 KiB, cut on a UTF-8
// character boundary): longer ones are junk or attacks.
std::string_view bounded_user_agent(std::string_view ua);

class UapParser {
  public:
    // Throws ConfigError naming the file when it cannot be opened. The file
    // is read, and each section compiled, the first time it is needed (most
    // of the start-up): a file that is not a usable regexes.yaml, or a regex
    // RE2 cannot compile, throws its ConfigError from the parse_* calls.
    explicit UapParser(const std::string& regexes_yaml_path);
    ~UapParser();
    UapParser(UapParser&&) noexcept;
    UapParser& operator=(UapParser&&) noexcept;

    // Each section's first matching regex, in file order. Safe to call
    // concurrently.
    UapAgent parse_agent(std::string_view ua) const;
    UapOs parse_os(std::string_view ua) const;
    UapDevice parse_device(std::string_view ua) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace analytics::enrich
