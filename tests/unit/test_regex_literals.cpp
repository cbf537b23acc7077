#include <analytics/enrich/regex_literals.hpp>

#include <doctest/doctest.h>
#include <re2/re2.h>

#include <ostream> // doctest stringifies std::string through it
#include <random>
#include <string>
#include <vector>

using analytics::enrich::fold_for_literals;
using analytics::enrich::literal_need;
using analytics::enrich::LiteralNeed;
using analytics::enrich::LiteralNeeds;

namespace {

// A need as text: 'lit', AND(…), OR(…), * for nothing.
std::string show(const LiteralNeed& need) {
    switch (need.kind) {
    case LiteralNeed::Kind::nothing:
        return "*";
    case LiteralNeed::Kind::literal:
        return "'" + need.literal + "'";
    case LiteralNeed::Kind::all:
    case LiteralNeed::Kind::any: {
        std::string out = need.kind == LiteralNeed::Kind::all ? "AND(" : "OR(";
        for (std::size_t i = 0; i < need.parts.size(); ++i) {
            out += (i > 0 ? "," : "") + show(need.parts[i]);
        }
        return out + ")";
    }
    }
    return "?";
}

std::string need_of(const std::string& pattern, std::size_t min_length = 3) {
    return show(literal_need(pattern, min_length));
}

// Whether a need holds in a text, looked up directly (any literal length).
bool holds(const LiteralNeed& need, const std::string& folded) {
    switch (need.kind) {
    case LiteralNeed::Kind::nothing:
        return true;
    case LiteralNeed::Kind::literal:
        return folded.find(need.literal) != std::string::npos;
    case LiteralNeed::Kind::all:
        for (const auto& part : need.parts) {
            if (!holds(part, folded)) {
                return false;
            }
        }
        return true;
    case LiteralNeed::Kind::any:
        for (const auto& part : need.parts) {
            if (holds(part, folded)) {
                return true;
            }
        }
        return false;
    }
    return true;
}

// A random RE2 pattern over a small alphabet, so that random texts match it
// often: literals, escapes, classes, groups, alternations, repetitions,
// anchors and flags.
class PatternMaker {
  public:
    explicit PatternMaker(unsigned seed) : m_random(seed) {}

    std::string pattern() {
        std::string out = pick(4) == 0 ? "(?i)" : "";
        return out + alternation(0);
    }

    std::string text() {
        static const std::string alphabet = "abAB-. 1";
        std::string out;
        const int length = pick(10);
        for (int i = 0; i < length; ++i) {
            out += alphabet[static_cast<std::size_t>(pick(static_cast<int>(alphabet.size())))];
        }
        return out;
    }

  private:
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_random); }

    std::string alternation(int depth) {
        std::string out = concatenation(depth);
        while (pick(5) == 0) {
            out += "|" + concatenation(depth);
        }
        return out;
    }

    std::string concatenation(int depth) {
        std::string out;
        const int items = pick(5);
        for (int i = 0; i < items; ++i) {
            out += item(depth) + repetition();
        }
        return out;
    }

    std::string item(int depth) {
        static const std::vector<std::string> atoms{
            "a", "b",    "A",    "B",     "-",    "\\.",   ".",          "\\d",
            "1", "[ab]", "[aB]", "[a-b]", "[^a]", "[-.]",  "\\b",        "^",
            "$", "\\-",  "[A]",  " ",     "\\s",  "[ab-]", "[[:alpha:]]"};
        const int choice = pick(depth < 3 ? 28 : 23);
        if (choice < 23) {
            return atoms[static_cast<std::size_t>(choice)];
        }
        static const std::vector<std::string> opens{"(", "(?:", "(?P<n>", "(?i:", "(?-i:"};
        std::string open = opens[static_cast<std::size_t>(choice - 23)];
        if (open == "(?P<n>") {
            open = "(?P<n" + std::to_string(m_groups++) + ">";
        }
        return open + alternation(depth + 1) + ")";
    }

    std::string repetition() {
        static const std::vector<std::string> operators{"?",    "*",  "+",  "{0,2}", "{2}",
                                                        "{1,}", "??", "+?", "{0,1}", "{1,2}"};
        const int choice = pick(20);
        return choice < 10 ? operators[static_cast<std::size_t>(choice)] : "";
    }

    std::mt19937 m_random;
    int m_groups = 0;
};

} // namespace

TEST_SUITE("regex_literals") {
    TEST_CASE("literal runs, lowercased; short ones need nothing") {
        CHECK(need_of("Chrome/(\\d+)") == "'chrome/'");
        CHECK(need_of("QGIS") == "'qgis'");
        CHECK(need_of("ab") == "*");
        CHECK(need_of("ab", 1) == "'ab'");
        CHECK(need_of("Firefox/\\d+\\.\\d+ Mobile") == "AND('firefox/',' mobile')");
        CHECK(need_of("(?i)curl") == "'curl'");
    }

    TEST_CASE("repetitions: optional pieces need nothing, repeated ones need one copy") {
        CHECK(need_of("abcd?ef") == "OR('abcdef','abcef')");
        CHECK(need_of("abc*def") == "'def'"); // "ab" is too short
        CHECK(need_of("(?:Mobile)+ Safari") == "AND('mobile',' safari')");
        CHECK(need_of("(?:Mobile)* Safari") == "' safari'");
        CHECK(need_of("(?:Mobile){0,3}Safari") == "'safari'");
        CHECK(need_of("x{2}yz", 1) == "AND('x','yz')");
    }

    TEST_CASE("alternations and small classes multiply out") {
        CHECK(need_of("Z1[1235]0") == "OR('z110','z120','z130','z150')");
        CHECK(need_of("(?: Build|\\) AppleWebKit)") == "OR(' build',') applewebkit')");
        CHECK(need_of("(?:Build|[;)])") == "*"); // ';' is too short to look for
        CHECK(need_of("(iPhone|iPad)") == "OR('ipad','iphone')");
        CHECK(need_of("[a-z]bcd") == "'bcd'"); // 26 members: some character
        CHECK(need_of("[^x]bcd") == "'bcd'");
    }

    TEST_CASE("constructs it does not follow need nothing") {
        CHECK(need_of("\\Qabc\\E") == "*");
        CHECK(need_of("abc\\x{263a}def") == "AND('abc','def')");
        CHECK(need_of("caf\xC3\xA9s") == "'caf'"); // non-ASCII is not folded here
        CHECK(need_of("abc(") == "*");             // not RE2 syntax
        CHECK(need_of("*abc") == "*");
    }

    TEST_CASE("a text is folded as the literals are") {
        CHECK(fold_for_literals("QGIS/3.28 \xE2\x84\xAA\xC5\xBF") == "qgis/3.28 ks");
        LiteralNeeds needs;
        needs.add(literal_need("Chrome/\\d+ (?:Mobile|Tablet)"));
        needs.add(literal_need("(?i)kaios"));
        needs.add(literal_need("x"));
        const auto present = needs.present_in(fold_for_literals("Mozilla Chrome/120 Mobile"));
        CHECK(needs.holds(0, present));
        CHECK_FALSE(needs.holds(1, present));
        CHECK(needs.holds(2, present)); // needs nothing
        // A literal at the very end, and one overlapping another.
        const auto at_end = needs.present_in(fold_for_literals("x chrome/1 Tablet KAIOS"));
        CHECK(needs.holds(0, at_end));
        CHECK(needs.holds(1, at_end));
        CHECK_FALSE(needs.holds(0, needs.present_in("chrome/ mobil")));
        CHECK_FALSE(needs.holds(0, needs.present_in("")));
    }

    TEST_CASE("sound: whenever RE2 matches, the need holds (random patterns and texts)") {
        PatternMaker maker(20261202);
        int patterns = 0, matches = 0;
        for (int round = 0; round < 3000; ++round) {
            const std::string pattern = maker.pattern();
            RE2::Options options;
            options.set_log_errors(false);
            const RE2 re(pattern, options);
            if (!re.ok()) {
                continue;
            }
            ++patterns;
            for (const std::size_t min_length : {1, 2, 3}) {
                const LiteralNeed need = literal_need(pattern, min_length);
                for (int t = 0; t < 40; ++t) {
                    const std::string text = maker.text();
                    if (RE2::PartialMatch(text, re)) {
                        ++matches;
                        INFO("pattern " << pattern << " text '" << text << "' min_length "
                                        << min_length << " need " << show(need));
                        CHECK(holds(need, fold_for_literals(text)));
                    }
                }
            }
        }
        CHECK(patterns > 2000);
        CHECK(matches > 50000);
    }
}
