#include <analytics/config/config.hpp>
#include <analytics/ingest/formats.hpp>
#include <analytics/parse/access_parser.hpp>
#include <analytics/util/text.hpp>

#include <re2/re2.h>

#include <algorithm>

namespace analytics::ingest {

namespace {

struct Named {
    std::string_view name;
    Format format;
};

constexpr Named formats[] = {
    {"otel", Format::otel},
    {"otlp", Format::otlp},
    {"combined", Format::combined},
    {"common", Format::common},
    {"georchestra", Format::georchestra},
    {"regex", Format::regex},
    {"api-json", Format::api_json},
    {"events", Format::events},
};

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

std::optional<Format> detect_json(std::string_view line) {
    if (contains(line, "\"resourceLogs\"")) {
        return Format::otlp;
    }
    if (contains(line, "\"searches\"") || contains(line, "\"impressions\"") ||
        contains(line, "\"events\"") ||
        (contains(line, "\"body\"") && contains(line, "\"headers\""))) {
        return Format::events;
    }
    if (contains(line, "\"endpoint\"") && contains(line, "\"requested_at\"")) {
        return Format::api_json;
    }
    if (contains(line, "\"attributes\"")) {
        return Format::otel;
    }
    return std::nullopt;
}

// geOrchestra lines carry "name|org|roles" users or a trailing "18ms".
bool looks_georchestra(std::string_view line) {
    const std::size_t bracket = line.find(" [");
    if (bracket != std::string_view::npos && contains(line.substr(0, bracket), "|")) {
        return true;
    }
    std::string_view tail = trim(line);
    const std::size_t space = tail.rfind(' ');
    tail = space == std::string_view::npos ? tail : tail.substr(space + 1);
    return tail.size() > 2 && tail.substr(tail.size() - 2) == "ms" && tail[0] >= '0' &&
           tail[0] <= '9';
}

} // namespace

std::optional<Format> format_from_name(std::string_view name) {
    for (const auto& f : formats) {
        if (f.name == name) {
            return f.format;
        }
    }
    return std::nullopt;
}

const char* format_name(Format format) {
    for (const auto& f : formats) {
        if (f.format == format) {
            return f.name.data();
        }
    }
    return "?";
}

std::vector<std::string> format_names() {
    std::vector<std::string> names{"auto"};
    for (const auto& f : formats) {
        names.emplace_back(f.name);
    }
    return names;
}

std::optional<Format> detect_format(const std::vector<std::string>& lines,
                                    const config::Config& config, std::string& why) {
    auto combined = parse::make_clf_parser(parse::TextVariant::combined, config);
    auto common = parse::make_clf_parser(parse::TextVariant::common, config);
    const RE2 custom(config.parsers.text_message.regex, RE2::Quiet);
    // A regex the configuration sets is the administrator's word on their
    // format: it goes before the built-in CLF variants it may overlap.
    const bool configured =
        custom.ok() && config.parsers.text_message.regex != config::default_text_regex;
    const auto custom_matches = [&](std::string_view line) {
        return custom.ok() && custom.Match(line, 0, line.size(), RE2::ANCHOR_START, nullptr, 0);
    };
    parse::ParsedBatch batch;
    std::string reason;
    for (const auto& raw : lines) {
        const std::string_view line = trim(raw);
        if (line.empty()) {
            continue;
        }
        if (line.front() == '{') {
            if (auto format = detect_json(line)) {
                return format;
            }
            why = "a JSON line with none of the keys of otel, otlp, api-json or events";
            continue;
        }
        if (configured && custom_matches(line)) {
            return Format::regex;
        }
        if (combined->parse(line, batch, reason)) {
            if (looks_georchestra(line)) {
                return Format::georchestra;
            }
            // Only the request is quoted: no referer and user agent.
            return std::count(line.begin(), line.end(), '"') <= 2 ? Format::common
                                                                  : Format::combined;
        }
        if (common->parse(line, batch, reason)) {
            return looks_georchestra(line) ? Format::georchestra : Format::common;
        }
        if (custom_matches(line)) {
            return Format::regex;
        }
        why = "a line that is neither JSON, CLF nor matched by parsers.text_message.regex (" +
              reason + ")";
    }
    if (why.empty()) {
        why = "no non-blank line";
    }
    return std::nullopt;
}

} // namespace analytics::ingest
