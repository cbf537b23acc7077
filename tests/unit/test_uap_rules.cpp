#include <analytics/enrich/uap_rules.hpp>
#include <analytics/util/errors.hpp>

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <ostream> // doctest stringifies std::string through it
#include <string>
#include <unistd.h>

using analytics::ConfigError;
using analytics::enrich::read_uap_rules;
using analytics::enrich::UapRule;
using analytics::enrich::UapRules;
using analytics::enrich::UapRulesReader;

namespace {

// One line per rule: where, pattern and templates (~ for null).
std::string dump(const std::vector<UapRule>& rules) {
    std::string out;
    for (const UapRule& rule : rules) {
        out += rule.where + " | " + rule.pattern;
        for (const auto& text : rule.templates) {
            out += " | " + (text ? *text : std::string("~"));
        }
        out += "\n";
    }
    return out;
}

std::string dump(const UapRules& rules) {
    return dump(rules.agents) + dump(rules.oses) + dump(rules.devices);
}

struct TempFile {
    std::string path = "/tmp/analytics-unit-uap-rules-" + std::to_string(::getpid()) + ".yaml";

    explicit TempFile(const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

    ~TempFile() { std::remove(path.c_str()); }
};

// What each reader makes of a text: its rules, or its error.
std::string read_with(const std::string& text, UapRulesReader reader) {
    const TempFile file(text);
    try {
        return dump(read_uap_rules(file.path, reader));
    } catch (const ConfigError& e) {
        std::string message = e.what();
        const auto at = message.find(file.path);
        return "error: " +
               (at == std::string::npos ? message : message.erase(at, file.path.size()));
    }
}

void check_same(const std::string& text) {
    INFO("text:\n" << text);
    CHECK(read_with(text, UapRulesReader::any) == read_with(text, UapRulesReader::yaml_cpp));
}

} // namespace

TEST_SUITE("uap_rules") {
    TEST_CASE("uap-core's regexes.yaml reads the same directly and through yaml-cpp") {
        const UapRules direct = read_uap_rules(UAP_CORE_REGEXES);
        const UapRules yaml = read_uap_rules(UAP_CORE_REGEXES, UapRulesReader::yaml_cpp);
        CHECK(direct.agents.size() > 300);
        CHECK(direct.devices.size() > 500);
        CHECK(dump(direct) == dump(yaml));
    }

    TEST_CASE("every layout reads the same, whichever reader takes it") {
        const std::string sections = "os_parsers:\n  - regex: 'os'\ndevice_parsers:\n"
                                     "  - regex: 'dev'\n    brand_replacement: 'B'\n";
        // uap-core's own layout, with its quoting, comments and blank lines.
        check_same("# comment\nuser_agent_parsers:\n  # a rule\n\n"
                   "  - regex: '(It''s) (\\d+)'  # trailing\n"
                   "    family_replacement: 'A $1'\n    v1_replacement: ''\n"
                   "  - regex: 'x'\n    regex_flag: 'i'\n" +
                   sections);
        // Other layouts, read by yaml-cpp alone.
        check_same("user_agent_parsers:\n  - regex: \"a\\tb\"\n    v1_replacement: 2\n" + sections);
        check_same("user_agent_parsers:\n- regex: 'a'\n" + sections);
        check_same("user_agent_parsers: [{regex: 'a'}]\n" + sections);
        check_same("user_agent_parsers:\r\n  - regex: 'a'\r\n" + sections);
        check_same("user_agent_parsers:\n  - regex: 'a\n      b'\n" + sections);
        check_same("user_agent_parsers:\n  - regex: 'a'\n    v1_replacement: ~\n" + sections);
        check_same("other: 1\nuser_agent_parsers:\n  - regex: 'a'\n" + sections);
        check_same("---\nuser_agent_parsers:\n  - regex: &r 'a'\n  - regex: *r\n" + sections);
        check_same("user_agent_parsers:\n    - regex: 'a'\n      family_replacement: 'F'\n" +
                   sections);
        // Files that are not a usable regexes.yaml, with the same error.
        check_same(sections);
        check_same("user_agent_parsers:\n" + sections);
        check_same("user_agent_parsers:\n  - family_replacement: 'x'\n" + sections);
        check_same("user_agent_parsers:\n  - regex: 'a'\n  - 'b'\n" + sections);
        check_same("user_agent_parsers: [\n");
        check_same("[1, 2]\n");
        check_same("");
    }

    TEST_CASE("its errors name the file and the rule") {
        CHECK(read_with("user_agent_parsers:\n  - family_replacement: 'x'\nos_parsers:\n"
                        "  - regex: 'a'\ndevice_parsers:\n  - regex: 'a'\n",
                        UapRulesReader::any) == "error: : user_agent_parsers[0] has no 'regex'");
        CHECK(read_with("user_agent_parsers: []\nos_parsers: []\n", UapRulesReader::any) ==
              "error: : 'device_parsers' is missing or not a list");
        CHECK_THROWS_WITH_AS(read_uap_rules("/nonexistent/regexes.yaml"),
                             doctest::Contains("/nonexistent/regexes.yaml"), ConfigError);
    }
}
