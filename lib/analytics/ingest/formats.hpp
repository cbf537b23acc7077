#pragma once

// Input format names and detection (`ingest --format auto`).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace analytics::config {
struct Config;
}

namespace analytics::ingest {

enum class Format { otel, otlp, combined, common, georchestra, regex, api_json, events };

// "otel", "api-json", …; nullopt for an unknown name ("auto" included).
std::optional<Format> format_from_name(std::string_view name);
const char* format_name(Format format);
// Every name `--format` accepts, "auto" first.
std::vector<std::string> format_names();

// The format of a sample of first lines, or nullopt (then `why` says what was tried).
std::optional<Format> detect_format(const std::vector<std::string>& lines,
                                    const config::Config& config, std::string& why);

} // namespace analytics::ingest
