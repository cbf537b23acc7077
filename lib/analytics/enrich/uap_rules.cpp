#include <analytics/enrich/uap_rules.hpp>
#include <analytics/util/errors.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>

namespace analytics::enrich {

namespace {

// One section of regexes.yaml.
struct SectionSpec {
    const char* name;
    std::array<const char*, 5> keys;     // replacement key of each field
    std::array<const char*, 5> defaults; // template when the key is absent; nullptr: null
};

const SectionSpec agent_spec{
    "user_agent_parsers",
    {"family_replacement", "v1_replacement", "v2_replacement", "v3_replacement", nullptr},
    {"$1", "$2", "$3", "$4", nullptr}};

const SectionSpec os_spec{"os_parsers",
                          {"os_replacement", "os_v1_replacement", "os_v2_replacement",
                           "os_v3_replacement", "os_v4_replacement"},
                          {"$1", "$2", "$3", "$4", "$5"}};

// A device's brand comes only from brand_replacement.
const SectionSpec device_spec{
    "device_parsers",
    {"device_replacement", "brand_replacement", "model_replacement", nullptr, nullptr},
    {"$1", nullptr, "$1", nullptr, nullptr}};

const std::array<const SectionSpec*, 3> specs{&agent_spec, &os_spec, &device_spec};

// A rule's map as read: each key with its scalar, or nullopt when its value
// is not a scalar (a null, a list, a map). The first of a repeated key counts.
using Entry = std::vector<std::pair<std::string, std::optional<std::string>>>;

const std::optional<std::string>* find(const Entry& entry, const char* key) {
    for (const auto& [name, value] : entry) {
        if (name == key) {
            return &value;
        }
    }
    return nullptr;
}

// A section as read: whether it was a list, and its entries (nullopt: an
// entry that is not a map).
struct SectionText {
    bool seen = false, list = false;
    std::vector<std::optional<Entry>> entries;
};

// The rules of a section, or the ConfigError of its first unusable entry.
std::vector<UapRule> rules_of(const SectionText& section, const SectionSpec& spec,
                              const std::string& file) {
    if (!section.list) {
        throw ConfigError(file + ": '" + spec.name + "' is missing or not a list");
    }
    std::vector<UapRule> rules;
    for (std::size_t i = 0; i < section.entries.size(); ++i) {
        UapRule& rule = rules.emplace_back();
        rule.where = file + ": " + spec.name + "[" + std::to_string(i) + "]";
        const auto& entry = section.entries[i];
        const auto* regex = entry ? find(*entry, "regex") : nullptr;
        if (regex == nullptr || !*regex) {
            throw ConfigError(rule.where + " has no 'regex'");
        }
        rule.pattern = **regex;
        const auto* flag = find(*entry, "regex_flag");
        if (flag != nullptr && *flag == "i") {
            rule.pattern.insert(0, "(?i)");
        }
        for (std::size_t f = 0; f < spec.keys.size(); ++f) {
            const auto* replacement = spec.keys[f] ? find(*entry, spec.keys[f]) : nullptr;
            if (replacement != nullptr && *replacement) {
                rule.templates[f] = **replacement;
            } else if (spec.defaults[f]) {
                rule.templates[f] = spec.defaults[f];
            }
        }
    }
    return rules;
}

UapRules rules_of(const std::array<SectionText, 3>& sections, const std::string& file) {
    UapRules rules;
    rules.agents = rules_of(sections[0], agent_spec, file);
    rules.oses = rules_of(sections[1], os_spec, file);
    rules.devices = rules_of(sections[2], device_spec, file);
    return rules;
}

// Whether what follows a key's colon or a value's closing quote is blank or
// a comment, which YAML separates from them by a space.
bool blank_or_comment(std::string_view tail) {
    const std::size_t next = tail.find_first_not_of(' ');
    return next == std::string_view::npos || (next > 0 && tail[next] == '#');
}

// The layout uap-core writes its regexes.yaml in, read directly: each section
// a key at column 0 over a list of maps, one `key: 'value'` a line, every
// value single-quoted on one line; blank lines and comments. nullopt for
// anything else (another quoting, a flow list, other top-level keys, a tab, a
// line end of CR LF …), which yaml-cpp then reads. yaml-cpp took 27 ms for
// the 200 KB of uap-core 0.16, most of a browser user agent's start-up; this
// takes a millisecond. tests/unit/test_uap_rules.cpp compares the two.
std::optional<std::array<SectionText, 3>> read_uap_layout(std::string_view text) {
    std::array<SectionText, 3> sections;
    SectionText* section = nullptr;
    Entry* entry = nullptr;
    std::size_t dash_column = 0, key_column = 0; // of the current section's entries
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string_view line = text.substr(at, end - at);
        at = end + 1;
        const std::size_t column = line.find_first_not_of(' ');
        if (column == std::string_view::npos || line[column] == '#') {
            continue;
        }
        std::string_view rest = line.substr(column);
        if (column == 0) { // a section
            const std::size_t colon = rest.find(':');
            if (colon == std::string_view::npos || !blank_or_comment(rest.substr(colon + 1))) {
                return std::nullopt;
            }
            section = nullptr;
            for (std::size_t i = 0; i < specs.size(); ++i) {
                if (rest.substr(0, colon) == specs[i]->name && !sections[i].seen) {
                    section = &sections[i];
                }
            }
            if (section == nullptr) {
                return std::nullopt;
            }
            section->seen = true;
            entry = nullptr;
            continue;
        }
        if (section == nullptr) {
            return std::nullopt;
        }
        if (rest.substr(0, 2) == "- ") { // an entry, and its first key
            if (entry == nullptr && section->entries.empty()) {
                dash_column = column;
                key_column = column + 2;
            }
            if (column != dash_column || rest.find_first_not_of(' ', 2) != 2) {
                return std::nullopt;
            }
            section->list = true;
            entry = &section->entries.emplace_back().emplace();
            rest.remove_prefix(2);
        } else if (entry == nullptr || column != key_column) {
            return std::nullopt;
        }
        // key: 'value'
        std::size_t key_end = 0;
        while (key_end < rest.size() &&
               (std::isalnum(static_cast<unsigned char>(rest[key_end])) != 0 ||
                rest[key_end] == '_')) {
            ++key_end;
        }
        if (key_end == 0 || rest.substr(key_end, 2) != ": ") {
            return std::nullopt;
        }
        std::size_t quote = rest.find_first_not_of(' ', key_end + 1);
        if (quote == std::string_view::npos || rest[quote] != '\'') {
            return std::nullopt;
        }
        std::string value;
        std::size_t i = quote + 1;
        for (;; ++i) {
            if (i >= rest.size()) {
                return std::nullopt; // continued on the next line
            }
            if (rest[i] == '\'') {
                if (i + 1 < rest.size() && rest[i + 1] == '\'') {
                    value += '\'';
                    ++i;
                    continue;
                }
                break;
            }
            if (rest[i] == '\r' || rest[i] == '\t') {
                return std::nullopt;
            }
            value += rest[i];
        }
        if (!blank_or_comment(rest.substr(i + 1))) {
            return std::nullopt;
        }
        entry->emplace_back(std::string(rest.substr(0, key_end)), std::move(value));
    }
    if (std::none_of(sections.begin(), sections.end(),
                     [](const SectionText& read) { return read.seen; })) {
        return std::nullopt; // no map at all: yaml-cpp says what it is
    }
    return sections;
}

// The same sections from a document loaded whole.
std::array<SectionText, 3> sections_of(const YAML::Node& root) {
    std::array<SectionText, 3> sections;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const YAML::Node list = root[specs[i]->name];
        SectionText& section = sections[i];
        section.seen = static_cast<bool>(list);
        section.list = list && list.IsSequence();
        if (!section.list) {
            continue;
        }
        for (const YAML::Node& item : list) {
            auto& entry = section.entries.emplace_back();
            if (!item.IsMap()) {
                continue;
            }
            entry.emplace();
            for (const auto& pair : item) {
                if (!pair.first.IsScalar()) {
                    continue;
                }
                std::optional<std::string> text;
                if (pair.second.IsScalar()) {
                    text = pair.second.Scalar();
                }
                entry->emplace_back(pair.first.Scalar(), std::move(text));
            }
        }
    }
    return sections;
}

UapRules load_whole(const std::string& text, const std::string& path) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw ConfigError("cannot read user-agent regexes " + path + ": " + e.what());
    }
    if (!root.IsMap()) {
        throw ConfigError(path + ": not a uap-core regexes.yaml");
    }
    return rules_of(sections_of(root), path);
}

} // namespace

UapRules read_uap_rules(const std::string& path, UapRulesReader reader) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ConfigError("cannot read user-agent regexes " + path + ": " + std::strerror(errno));
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    if (reader == UapRulesReader::any) {
        if (const auto sections = read_uap_layout(text)) {
            return rules_of(*sections, path);
        }
    }
    return load_whole(text, path);
}

} // namespace analytics::enrich
