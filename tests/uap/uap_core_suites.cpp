// uap-core's own test suites through the generic engine, UapParser::parse_agent/os/device.
// Prints each suite's pass rate and every failure; exits 1 when a suite passes
// less than 99%, 2 when a file cannot be read.
//
//   uap_core_suites [UAP_CORE_DIR]            run the suites
//   uap_core_suites --bench [UAP_CORE_DIR]    enrich() rates, uncached and cached

#include <analytics/enrich/uap_parser.hpp>
#include <analytics/enrich/user_agent.hpp>

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

using analytics::enrich::UapParser;
using analytics::enrich::UserAgentParser;

namespace {

using Values = std::vector<std::optional<std::string>>;

struct Suite {
    const char* file;
    std::vector<const char*> keys; // expected fields, in the order parse returns them
    Values (*parse)(const UapParser&, std::string_view);
};

const Suite suites[] = {
    {"test_ua.yaml",
     {"family", "major", "minor", "patch"},
     [](const UapParser& p, std::string_view ua) -> Values {
         auto a = p.parse_agent(ua);
         return {a.family, a.major, a.minor, a.patch};
     }},
    {"test_os.yaml",
     {"family", "major", "minor", "patch", "patch_minor"},
     [](const UapParser& p, std::string_view ua) -> Values {
         auto o = p.parse_os(ua);
         return {o.family, o.major, o.minor, o.patch, o.patch_minor};
     }},
    {"test_device.yaml",
     {"family", "brand", "model"},
     [](const UapParser& p, std::string_view ua) -> Values {
         auto d = p.parse_device(ua);
         return {d.family, d.brand, d.model};
     }},
};

constexpr double required_percent = 99.0;

std::string show(const std::vector<const char*>& keys, const Values& values) {
    std::string out;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        out += std::string(i ? " " : "") + keys[i] + "=" +
               (values[i] ? "'" + *values[i] + "'" : std::string("null"));
    }
    return out;
}

std::optional<std::string> scalar(const YAML::Node& node) {
    if (!node || node.IsNull()) {
        return std::nullopt;
    }
    return node.as<std::string>();
}

YAML::Node test_cases(const std::string& dir, const char* file) {
    return YAML::LoadFile(dir + "/tests/" + file)["test_cases"];
}

// Returns true if the suite reaches the required pass rate.
bool run_suite(const UapParser& parser, const std::string& dir, const Suite& suite) {
    std::size_t total = 0, passed = 0;
    for (const YAML::Node& test : test_cases(dir, suite.file)) {
        const std::string ua = test["user_agent_string"].as<std::string>();
        Values expected;
        for (const char* key : suite.keys) {
            expected.push_back(scalar(test[key]));
        }
        const Values got = suite.parse(parser, ua);
        ++total;
        if (got == expected) {
            ++passed;
        } else {
            std::printf("FAIL %s: %s\n  expected: %s\n  got:      %s\n", suite.file, ua.c_str(),
                        show(suite.keys, expected).c_str(), show(suite.keys, got).c_str());
        }
    }
    const double percent =
        total ? 100.0 * static_cast<double>(passed) / static_cast<double>(total) : 0.0;
    std::printf("%s: %zu/%zu passed (%.2f%%)\n", suite.file, passed, total, percent);
    return percent >= required_percent;
}

long rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Rates of enrich() over the distinct test strings. They are split in two
// interleaved halves: the first half, through a fresh parser, also pays RE2's
// lazy per-regex work (reverse programs, first DFA states); the second half is
// the steady state for strings not seen before. Then everything again, cached.
int bench(const std::string& dir) {
    // The parser first, so its RSS is not hidden by memory the test files free.
    const long rss_before = rss_kib();
    auto start = std::chrono::steady_clock::now();
    UserAgentParser parser(dir + "/regexes.yaml");
    const double load = seconds_since(start);
    const long rss_loaded = rss_kib();

    std::vector<std::string> first_half, second_half;
    std::unordered_set<std::string> seen;
    for (const Suite& suite : suites) {
        for (const YAML::Node& test : test_cases(dir, suite.file)) {
            auto ua = test["user_agent_string"].as<std::string>();
            if (seen.insert(ua).second) {
                (seen.size() % 2 ? first_half : second_half).push_back(std::move(ua));
            }
        }
    }
    const long rss_strings = rss_kib();

    std::size_t gis = 0;
    const auto enrich_all = [&](const std::vector<std::string>& strings) {
        const auto begin = std::chrono::steady_clock::now();
        for (const std::string& ua : strings) {
            gis += parser.enrich(ua).gis_client ? 1 : 0;
        }
        return seconds_since(begin);
    };
    const double first = enrich_all(first_half);
    const double second = enrich_all(second_half);
    const long rss_parsed = rss_kib();
    constexpr int rounds = 10;
    double cached = 0;
    for (int round = 0; round < rounds; ++round) {
        cached += enrich_all(first_half) + enrich_all(second_half);
    }

    const auto rate = [](std::size_t n, double s) { return static_cast<double>(n) / s; };
    const std::size_t n = first_half.size() + second_half.size();
    std::printf("distinct strings: %zu (%zu GIS clients)\n", n, gis / (rounds + 1));
    std::printf("load and compile regexes.yaml: %.3f s\n", load);
    std::printf("uncached, fresh parser (first %zu): %.0f strings/s (%.1f us each)\n",
                first_half.size(), rate(first_half.size(), first),
                1e6 / rate(first_half.size(), first));
    std::printf("uncached, steady state (other %zu): %.0f strings/s (%.1f us each)\n",
                second_half.size(), rate(second_half.size(), second),
                1e6 / rate(second_half.size(), second));
    std::printf("cached: %.0f strings/s (%.3f us each)\n", rate(rounds * n, cached),
                1e6 / rate(rounds * n, cached));
    std::printf("RSS: +%ld KiB for the loaded parser; +%ld KiB more after the uncached passes "
                "(RE2 DFA states and %zu cache entries)\n",
                rss_loaded - rss_before, rss_parsed - rss_strings, n);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    bool benchmark = false;
    std::string dir = "/usr/share/uap-core";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--bench") {
            benchmark = true;
        } else {
            dir = arg;
        }
    }
    try {
        if (benchmark) {
            return bench(dir);
        }
        const UapParser parser(dir + "/regexes.yaml");
        bool ok = true;
        for (const Suite& suite : suites) {
            ok = run_suite(parser, dir, suite) && ok;
        }
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "uap_core_suites: %s\n", e.what());
        return 2;
    }
}
