#include <analytics/enrich/uap_parser.hpp>
#include <analytics/util/errors.hpp>

#include <re2/filtered_re2.h>
#include <re2/re2.h>
#include <re2/set.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <fstream>
#include <future>
#include <mutex>
#include <utility>
#include <vector>

namespace analytics::enrich {

namespace {

// Only this much of a user agent is parsed: real ones are a few hundred bytes,
// longer ones are junk or attacks, and the bound caps both the regex cost and
// the size of a cache key.
constexpr std::size_t max_parsed_bytes = 4096;

// Budget of one RE2::Set of prefilter atoms: its program (about 1 MB for the
// 1,631 device atoms of uap-core 0.16) plus the DFA states it grows lazily.
// RE2's default of 8 MB would do; a set that does not compile is split.
constexpr std::int64_t set_max_mem = std::int64_t{16} << 20;

using Groups = std::vector<re2::StringPiece>; // [0] the whole match, [n] group n

std::string_view view(const re2::StringPiece& piece) {
    return {piece.data(), piece.size()};
}

// uap-core's replacement rule: $1..$9 become the groups (a missing or
// unmatched group is ""), the result is trimmed, and "" means null.
std::optional<std::string> substitute(std::string_view pattern, const Groups& groups) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '$' && i + 1 < pattern.size() && pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
            const auto group = static_cast<std::size_t>(pattern[++i] - '0');
            if (group > 0 && group < groups.size()) {
                out += view(groups[group]);
            }
        } else {
            out += c;
        }
    }
    const auto first = out.find_first_not_of(" \t\r\n\f\v");
    if (first == std::string::npos) {
        return std::nullopt;
    }
    const auto last = out.find_last_not_of(" \t\r\n\f\v");
    return out.substr(first, last - first + 1);
}

// One section of regexes.yaml. Fields are the section's outputs in order
// (agent: family, major, minor, patch; os: family, major, minor, patch,
// patch_minor; device: family, brand, model).
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

using Fields = std::array<std::optional<std::string>, 5>;

// UTF-8, as uap-core's regexes are written for UTF-8 text; errors are ours to report.
RE2::Options regex_options() {
    RE2::Options options;
    options.set_log_errors(false);
    return options;
}

// Finds which of a prefilter's atoms (lowercase literals) occur in a folded
// text, with RE2::Sets of literals: one pass over the text per set. A set that
// does not compile within set_max_mem is split in halves.
class AtomMatcher {
  public:
    explicit AtomMatcher(const std::vector<std::string>& atoms) {
        std::vector<int> ids;
        for (std::size_t i = 0; i < atoms.size(); ++i) {
            const bool ascii = std::all_of(atoms[i].begin(), atoms[i].end(),
                                           [](char c) { return (c & 0x80) == 0; });
            // fold() only lowercases ASCII, so a non-ASCII atom is taken as present.
            (ascii ? ids : m_always).push_back(static_cast<int>(i));
        }
        build(atoms, std::move(ids));
    }

    std::vector<int> find(std::string_view folded) const {
        std::vector<int> found(m_always);
        std::vector<int> hits;
        for (const Part& part : m_parts) {
            RE2::Set::ErrorInfo error{RE2::Set::kNoError};
            if (part.set->Match(re2::StringPiece(folded.data(), folded.size()), &hits, &error)) {
                for (const int hit : hits) {
                    found.push_back(part.ids[static_cast<std::size_t>(hit)]);
                }
            } else if (error.kind != RE2::Set::kNoError) {
                // The DFA gave up on this text: taking every atom as present only costs time.
                found.insert(found.end(), part.ids.begin(), part.ids.end());
            }
        }
        return found;
    }

  private:
    struct Part {
        std::unique_ptr<RE2::Set> set;
        std::vector<int> ids; // atom index of each pattern of the set
    };

    void build(const std::vector<std::string>& atoms, std::vector<int> ids) {
        if (ids.empty()) {
            return;
        }
        RE2::Options options;
        options.set_log_errors(false);
        options.set_literal(true);
        options.set_max_mem(set_max_mem);
        auto set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
        bool added = true;
        for (std::size_t i = 0; i < ids.size() && added; ++i) {
            added =
                set->Add(atoms[static_cast<std::size_t>(ids[i])], nullptr) == static_cast<int>(i);
        }
        if (added && set->Compile()) {
            m_parts.push_back({std::move(set), std::move(ids)});
        } else if (ids.size() == 1) {
            m_always.push_back(ids.front());
        } else {
            std::vector<int> upper(ids.begin() + static_cast<std::ptrdiff_t>(ids.size() / 2),
                                   ids.end());
            ids.resize(ids.size() / 2);
            build(atoms, std::move(ids));
            build(atoms, std::move(upper));
        }
    }

    std::vector<Part> m_parts;
    std::vector<int> m_always; // atoms taken as present in every text
};

// A section's regexes in file order, behind RE2's FilteredRE2 prefilter: each
// regex needs some literal atoms in the text, so for a given user agent only a
// few regexes remain to be tried, in order, and the first match wins. (One
// RE2::Set per section, the obvious design, was about ten times slower: a DFA
// over 600 regexes with bounded repeats like .{0,200} meets new states on
// every new string and keeps resetting its cache.)
class Section {
  public:
    // A rule as read from regexes.yaml.
    struct Source {
        std::string where; // "regexes.yaml: device_parsers[12]", for errors
        std::string pattern;
        std::array<std::optional<std::string>, 5> templates; // nullopt: the field is null
    };

    // Reads a section's rules (yaml-cpp: on one thread only).
    static std::vector<Source> read(const YAML::Node& root, const SectionSpec& spec,
                                    const std::string& file) {
        const YAML::Node list = root[spec.name];
        if (!list || !list.IsSequence()) {
            throw ConfigError(file + ": '" + spec.name + "' is missing or not a list");
        }
        std::vector<Source> sources;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const YAML::Node entry = list[i];
            Source& source = sources.emplace_back();
            source.where = file + ": " + spec.name + "[" + std::to_string(i) + "]";
            if (!entry.IsMap() || !entry["regex"] || !entry["regex"].IsScalar()) {
                throw ConfigError(source.where + " has no 'regex'");
            }
            source.pattern = entry["regex"].as<std::string>();
            const YAML::Node flag = entry["regex_flag"];
            if (flag && flag.IsScalar() && flag.as<std::string>() == "i") {
                source.pattern.insert(0, "(?i)");
            }
            for (std::size_t f = 0; f < spec.keys.size(); ++f) {
                const YAML::Node replacement = spec.keys[f] ? entry[spec.keys[f]] : YAML::Node();
                if (replacement && replacement.IsScalar()) {
                    source.templates[f] = replacement.as<std::string>();
                } else if (spec.defaults[f]) {
                    source.templates[f] = spec.defaults[f];
                }
            }
        }
        return sources;
    }

    // Compiles the rules (no YAML here: sections may compile on threads of their own).
    explicit Section(const std::vector<Source>& sources) : m_filter(min_atom_length) {
        const RE2::Options options = regex_options();
        for (const Source& source : sources) {
            int id = -1;
            if (m_filter.Add(source.pattern, options, &id) != RE2::NoError) {
                const RE2 failed(source.pattern, options);
                throw ConfigError(source.where + ": RE2 cannot compile '" + source.pattern +
                                  "': " + failed.error());
            }
            Rule& rule = m_rules.emplace_back();
            rule.pattern = source.pattern;
            rule.templates = source.templates;
        }
        if (!m_rules.empty()) {
            std::vector<std::string> atoms;
            m_filter.Compile(&atoms);
            m_atoms = std::make_unique<AtomMatcher>(atoms);
        }
    }

    // The fields of the first regex (file order) that matches; nullopt if none.
    std::optional<Fields> parse(std::string_view text) const {
        if (!m_atoms) {
            return std::nullopt;
        }
        std::vector<int> candidates;
        m_filter.AllPotentials(m_atoms->find(fold(text)), &candidates);
        std::sort(candidates.begin(), candidates.end());
        const re2::StringPiece input(text.data(), text.size());
        for (const int id : candidates) {
            // Without groups RE2 answers from its DFA and stops at the first
            // match; groups are extracted for the winner only.
            const RE2& re = m_filter.GetRE2(id);
            if (re.Match(input, 0, input.size(), RE2::UNANCHORED, nullptr, 0)) {
                return fields_of(m_rules[static_cast<std::size_t>(id)], re, input);
            }
        }
        return std::nullopt;
    }

  private:
    struct Rule {
        std::string pattern;
        std::array<std::optional<std::string>, 5> templates; // nullopt: the field is null

        // The regex behind a lazy any-byte prefix, matched anchored at the start:
        // that is what an unanchored search means, but RE2 then needs no reverse
        // pass to find where the match starts (groups came 2.5 times faster).
        // Compiled the first time the rule wins: most rules never do, and
        // compiling them all took half of the start-up.
        const RE2& extractor() const {
            std::call_once(m_compiled, [this] {
                m_extractor = std::make_unique<RE2>(R"(\C*?(?:)" + pattern + ")", regex_options());
            });
            return *m_extractor;
        }

      private:
        mutable std::once_flag m_compiled;
        mutable std::unique_ptr<RE2> m_extractor;
    };

    // Atoms shorter than this match too many texts to filter anything.
    static constexpr int min_atom_length = 3;

    // The text as the prefilter sees it: ASCII lowercased, and the two non-ASCII
    // characters that case-fold to ASCII letters (KELVIN SIGN, LONG S) replaced
    // by them, so no (?i) regex is filtered out wrongly.
    static std::string fold(std::string_view text) {
        std::string out;
        out.reserve(text.size());
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (c >= 'A' && c <= 'Z') {
                out += static_cast<char>(c - 'A' + 'a');
            } else if (text.compare(i, 3, "\xE2\x84\xAA") == 0) {
                out += 'k';
                i += 2;
            } else if (text.compare(i, 2, "\xC5\xBF") == 0) {
                out += 's';
                i += 1;
            } else {
                out += c;
            }
        }
        return out;
    }

    // The fields of a rule whose regex `re` matches the input.
    static Fields fields_of(const Rule& rule, const RE2& re, const re2::StringPiece& input) {
        Groups groups(1 + static_cast<std::size_t>(re.NumberOfCapturingGroups()));
        const int n = static_cast<int>(groups.size());
        const RE2& extractor = rule.extractor();
        if (!extractor.ok() ||
            !extractor.Match(input, 0, input.size(), RE2::ANCHOR_START, groups.data(), n)) {
            re.Match(input, 0, input.size(), RE2::UNANCHORED, groups.data(), n);
        }
        Fields fields;
        for (std::size_t f = 0; f < fields.size(); ++f) {
            if (rule.templates[f]) {
                fields[f] = substitute(*rule.templates[f], groups);
            }
        }
        return fields;
    }

    re2::FilteredRE2 m_filter;            // owns the regexes; ids are file order
    std::deque<Rule> m_rules;             // per regex (a deque: a Rule does not move)
    std::unique_ptr<AtomMatcher> m_atoms; // null when the section is empty
};

// A section's result: the family ("Other" when nothing matched or it came
// out empty), then the optional fields in the section's field order.
template <typename Result, typename... Optionals>
Result parse_into(const Section& section, std::string_view ua, Optionals... optionals) {
    Result result;
    if (auto fields = section.parse(bounded_user_agent(ua))) {
        result.family = (*fields)[0].value_or("Other");
        std::size_t i = 1;
        ((result.*optionals = std::move((*fields)[i++])), ...);
    }
    return result;
}

} // namespace

std::string_view bounded_user_agent(std::string_view ua) {
    if (ua.size() <= max_parsed_bytes) {
        return ua;
    }
    std::size_t cut = max_parsed_bytes;
    while (cut > max_parsed_bytes - 3 && (static_cast<unsigned char>(ua[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    return ua.substr(0, cut);
}

namespace {

// The rules, read from regexes.yaml; each section compiles the first time
// it is asked for, since compiling is most of the start-up: an input
// without user agents compiles nothing, one of GIS clients only (the table in
// user_agent.cpp decides before the agents section) no agents section.
// call_once keeps the parse_* calls safe to make concurrently; a section that
// fails to compile throws its ConfigError at each call.
struct Sections {
    Sections(const YAML::Node& root, const std::string& file)
        : agent_rules(Section::read(root, agent_spec, file)),
          os_rules(Section::read(root, os_spec, file)),
          device_rules(Section::read(root, device_spec, file)) {}

    const Section& agents() const { return compiled(agent_rules, agents_once, agents_section); }

    // A user agent's OS and device are always asked for together, and the
    // device section holds half of the regexes: it compiles on a thread of
    // its own while the OS section compiles here, then the agents section,
    // which every user agent but a GIS client's needs next. An agents section
    // that does not compile throws when it is asked for, not here.
    const Section& oses() const {
        std::call_once(oses_once, [this] {
            auto devices_done = std::async(std::launch::async, [this] { devices(); });
            oses_section = std::make_unique<Section>(os_rules);
            try {
                agents();
            } catch (const ConfigError&) {
                // call_once lets agents() try again, and throw, when it is asked for.
            }
            devices_done.get();
        });
        return *oses_section;
    }

    const Section& devices() const { return compiled(device_rules, devices_once, devices_section); }

  private:
    static const Section& compiled(const std::vector<Section::Source>& rules, std::once_flag& once,
                                   std::unique_ptr<Section>& section) {
        std::call_once(once, [&] { section = std::make_unique<Section>(rules); });
        return *section;
    }

    std::vector<Section::Source> agent_rules, os_rules, device_rules;
    mutable std::once_flag agents_once, oses_once, devices_once;
    mutable std::unique_ptr<Section> agents_section, oses_section, devices_section;
};

} // namespace

// regexes.yaml itself is read the first time a user agent is parsed too
// (yaml-cpp takes a third of an empty run's start-up): only whether the file
// can be opened is known up front.
struct UapParser::Impl {
    std::string path;
    std::once_flag once;
    std::unique_ptr<Sections> sections;

    const Sections& get() {
        std::call_once(once, [this] { sections = load(path); });
        return *sections;
    }

    static std::unique_ptr<Sections> load(const std::string& path) {
        YAML::Node root;
        try {
            root = YAML::LoadFile(path);
        } catch (const YAML::Exception& e) {
            throw ConfigError("cannot read user-agent regexes " + path + ": " + e.what());
        }
        if (!root.IsMap()) {
            throw ConfigError(path + ": not a uap-core regexes.yaml");
        }
        try {
            return std::make_unique<Sections>(root, path);
        } catch (const YAML::Exception& e) {
            throw ConfigError(path + ": " + e.what());
        }
    }
};

UapParser::UapParser(const std::string& regexes_yaml_path) : m_impl(std::make_unique<Impl>()) {
    if (!std::ifstream(regexes_yaml_path)) {
        throw ConfigError("cannot read user-agent regexes " + regexes_yaml_path + ": " +
                          std::strerror(errno));
    }
    m_impl->path = regexes_yaml_path;
}

UapParser::~UapParser() = default;
UapParser::UapParser(UapParser&&) noexcept = default;
UapParser& UapParser::operator=(UapParser&&) noexcept = default;

UapAgent UapParser::parse_agent(std::string_view ua) const {
    return parse_into<UapAgent>(m_impl->get().agents(), ua, &UapAgent::major, &UapAgent::minor,
                                &UapAgent::patch);
}

UapOs UapParser::parse_os(std::string_view ua) const {
    return parse_into<UapOs>(m_impl->get().oses(), ua, &UapOs::major, &UapOs::minor, &UapOs::patch,
                             &UapOs::patch_minor);
}

UapDevice UapParser::parse_device(std::string_view ua) const {
    return parse_into<UapDevice>(m_impl->get().devices(), ua, &UapDevice::brand, &UapDevice::model);
}

} // namespace analytics::enrich
