#include <analytics/enrich/regex_literals.hpp>
#include <analytics/enrich/uap_parser.hpp>
#include <analytics/enrich/uap_rules.hpp>
#include <analytics/util/errors.hpp>

#include <re2/re2.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace analytics::enrich {

namespace {

// Only this much of a user agent is parsed: real ones are a few hundred bytes,
// longer ones are junk or attacks, and the bound caps both the regex cost and
// the size of a cache key.
constexpr std::size_t max_parsed_bytes = 4096;

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

using Fields = std::array<std::optional<std::string>, 5>;

// UTF-8, as uap-core's regexes are written for UTF-8 text; errors are ours to report.
RE2::Options regex_options() {
    RE2::Options options;
    options.set_log_errors(false);
    return options;
}

// A section's regexes in file order. Each regex needs some literals in the
// text (regex_literals.hpp, read from its text without compiling it), so for
// a given user agent only a few regexes remain to be tried, in order, and the
// first match wins. A regex is compiled the first time it is tried: most never
// are, and compiling all 1,162 of uap-core's was most of the start-up (about
// 0.2 s of CPU; FilteredRE2, the prefilter used before, compiles every regex to
// read its atoms). (One RE2::Set per section, the obvious design, was about ten
// times slower: a DFA over 600 regexes with bounded repeats like .{0,200}
// meets new states on every new string and keeps resetting its cache.)
class Section {
  public:
    using Source = UapRule;

    // Checks each rule's syntax and reads its literal need; compiles nothing.
    explicit Section(const std::vector<Source>& sources) {
        for (const Source& source : sources) {
            check_syntax(source);
            m_needs.add(literal_need(source.pattern));
            m_rules.emplace_back(source);
        }
    }

    // The fields of the first regex (file order) that matches; nullopt if none.
    std::optional<Fields> parse(std::string_view text) const {
        if (m_rules.empty()) {
            return std::nullopt;
        }
        const std::vector<bool> present = m_needs.present_in(fold_for_literals(text));
        const re2::StringPiece input(text.data(), text.size());
        for (std::size_t i = 0; i < m_rules.size(); ++i) {
            if (!m_needs.holds(i, present)) {
                continue;
            }
            // Without groups RE2 answers from its DFA and stops at the first
            // match; groups are extracted for the winner only.
            const Rule& rule = m_rules[i];
            const Rule::Compiled& compiled = rule.compiled();
            if (compiled.re->Match(input, 0, input.size(), compiled.anchor, nullptr, 0)) {
                return fields_of(rule, compiled, input);
            }
        }
        return std::nullopt;
    }

  private:
    class Rule {
      public:
        explicit Rule(Source source) : m_source(std::move(source)) {}

        const std::array<std::optional<std::string>, 5>& templates() const {
            return m_source.templates;
        }

        struct Compiled {
            std::unique_ptr<RE2> re;
            RE2::Anchor anchor;
        };

        // The regex, compiled the first time it is tried, behind a lazy
        // any-byte prefix and matched anchored at the start: that is what an
        // unanchored search means, but RE2 then needs no reverse pass to find
        // where the match starts (groups came 2.5 times faster), and one
        // compiled regex serves both to try the rule and to read its groups.
        // Throws ConfigError when RE2 cannot compile it (too large: the
        // syntax was checked).
        const Compiled& compiled() const {
            std::call_once(m_compiled_once, [this] {
                auto re =
                    std::make_unique<RE2>(R"(\C*?(?:)" + m_source.pattern + ")", regex_options());
                RE2::Anchor anchor = RE2::ANCHOR_START;
                if (!re->ok()) {
                    re = std::make_unique<RE2>(m_source.pattern, regex_options());
                    anchor = RE2::UNANCHORED;
                }
                if (!re->ok()) {
                    throw ConfigError(m_source.where + ": RE2 cannot compile '" + m_source.pattern +
                                      "': " + re->error());
                }
                m_compiled = {std::move(re), anchor};
            });
            return m_compiled;
        }

      private:
        Source m_source;
        mutable std::once_flag m_compiled_once;
        mutable Compiled m_compiled;
    };

    // RE2 parses the whole pattern, then gives up compiling it at once for
    // want of memory (about 10 µs a regex): a syntax error is a ConfigError
    // here, when the section is first needed, as when all were compiled.
    static void check_syntax(const Source& source) {
        RE2::Options options = regex_options();
        options.set_max_mem(syntax_check_max_mem);
        const RE2 check(source.pattern, options);
        if (!check.ok() && check.error_code() != RE2::ErrorPatternTooLarge) {
            throw ConfigError(source.where + ": RE2 cannot compile '" + source.pattern +
                              "': " + check.error());
        }
    }

    // Too little for any program (RE2 keeps two thirds of it for the forward
    // one, less than a Prog object): the compiler stops at its first instruction.
    static constexpr std::int64_t syntax_check_max_mem = 600;

    // The fields of a rule whose regex matches the input.
    static Fields fields_of(const Rule& rule, const Rule::Compiled& compiled,
                            const re2::StringPiece& input) {
        Groups groups(1 + static_cast<std::size_t>(compiled.re->NumberOfCapturingGroups()));
        compiled.re->Match(input, 0, input.size(), compiled.anchor, groups.data(),
                           static_cast<int>(groups.size()));
        Fields fields;
        for (std::size_t f = 0; f < fields.size(); ++f) {
            if (rule.templates()[f]) {
                fields[f] = substitute(*rule.templates()[f], groups);
            }
        }
        return fields;
    }

    LiteralNeeds m_needs;     // one per rule, in file order
    std::deque<Rule> m_rules; // a deque: a Rule (its once_flags) does not move
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

// A section set up, or why it could not be: its ConfigError is thrown when
// the section is asked for, so that an input of GIS clients only (the table
// in user_agent.cpp decides before the agents section) works with a broken
// agents section.
struct SetUp {
    std::unique_ptr<Section> section;
    std::exception_ptr error;
};

SetUp set_up(const std::vector<Section::Source>& rules) {
    SetUp out;
    try {
        out.section = std::make_unique<Section>(rules);
    } catch (const ConfigError&) {
        out.error = std::current_exception();
    }
    return out;
}

const Section& section_of(const SetUp& set_up) {
    if (set_up.error) {
        std::rethrow_exception(set_up.error);
    }
    return *set_up.section;
}

struct Sections {
    SetUp agents, oses, devices;
};

} // namespace

// regexes.yaml itself is read the first time a user agent is parsed too,
// and its three sections set up at once (their syntax checked, their literal
// needs read: no regex is compiled), the device section (half of the rules)
// on a thread of its own. call_once keeps the parse_* calls safe to make
// concurrently.
struct UapParser::Impl {
    std::string path;
    std::once_flag once;
    std::unique_ptr<Sections> sections;

    const Sections& get() {
        std::call_once(once, [this] { sections = load(path); });
        return *sections;
    }

    static std::unique_ptr<Sections> load(const std::string& path) {
        const UapRules rules = read_uap_rules(path);
        auto devices = std::async(std::launch::async, [&] { return set_up(rules.devices); });
        auto sections = std::make_unique<Sections>();
        sections->agents = set_up(rules.agents);
        sections->oses = set_up(rules.oses);
        sections->devices = devices.get();
        return sections;
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
    return parse_into<UapAgent>(section_of(m_impl->get().agents), ua, &UapAgent::major,
                                &UapAgent::minor, &UapAgent::patch);
}

UapOs UapParser::parse_os(std::string_view ua) const {
    return parse_into<UapOs>(section_of(m_impl->get().oses), ua, &UapOs::major, &UapOs::minor,
                             &UapOs::patch, &UapOs::patch_minor);
}

UapDevice UapParser::parse_device(std::string_view ua) const {
    return parse_into<UapDevice>(section_of(m_impl->get().devices), ua, &UapDevice::brand,
                                 &UapDevice::model);
}

} // namespace analytics::enrich
