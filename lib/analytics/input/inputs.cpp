#include <analytics/input/inputs.hpp>
#include <analytics/util/errors.hpp>

#include <algorithm>
#include <glob.h>
#include <map>
#include <sys/stat.h>

namespace analytics::input {

namespace {

bool has_glob_chars(const std::string& s) {
    return s.find_first_of("*?[") != std::string::npos;
}

struct RotationKey {
    std::string base;
    int kind = 0;         // 0: numbered (older = larger n), 1: dated, 2: the live file
    long long number = 0; // rotation number or date
};

bool all_digits(const std::string& s) {
    return !s.empty() && s.size() <= 15 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

RotationKey rotation_key(const std::string& path) {
    std::string name = path;
    for (const char* suffix : {".gz", ".z", ".Z"}) {
        const std::string s(suffix);
        if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
            name.resize(name.size() - s.size());
            break;
        }
    }
    const std::size_t slash = name.rfind('/');
    const std::size_t dot = name.rfind('.');
    if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
        const std::string tail = name.substr(dot + 1);
        if (all_digits(tail) && tail.size() <= 4) {
            return {name.substr(0, dot), 0, std::stoll(tail)};
        }
    }
    const std::size_t dash = name.rfind('-');
    if (dash != std::string::npos && (slash == std::string::npos || dash > slash)) {
        const std::string tail = name.substr(dash + 1);
        if (all_digits(tail) && tail.size() >= 8) {
            return {name.substr(0, dash), 1, std::stoll(tail)};
        }
    }
    return {name, 2, 0};
}

} // namespace

std::vector<std::string> order_rotated(std::vector<std::string> paths) {
    std::map<std::string, std::size_t> first_seen;
    std::vector<std::pair<RotationKey, std::string>> keyed;
    for (const auto& path : paths) {
        RotationKey key = rotation_key(path);
        first_seen.emplace(key.base, first_seen.size());
        keyed.emplace_back(std::move(key), path);
    }
    std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
        const std::size_t sa = first_seen.at(a.first.base);
        const std::size_t sb = first_seen.at(b.first.base);
        if (sa != sb) {
            return sa < sb;
        }
        if (a.first.kind != b.first.kind) {
            return a.first.kind < b.first.kind;
        }
        if (a.first.kind == 0) {
            return a.first.number > b.first.number; // .3 is older than .1
        }
        return a.first.number < b.first.number;
    });
    std::vector<std::string> ordered;
    ordered.reserve(keyed.size());
    for (auto& [key, path] : keyed) {
        ordered.push_back(std::move(path));
    }
    return ordered;
}

std::vector<std::string> resolve_inputs(const std::vector<std::string>& arguments) {
    if (arguments.empty()) {
        return {"-"};
    }
    std::vector<std::string> paths;
    for (const auto& argument : arguments) {
        if (argument == "-") {
            paths.push_back(argument);
            continue;
        }
        std::vector<std::string> matches;
        if (has_glob_chars(argument)) {
            glob_t result{};
            const int status = ::glob(argument.c_str(), GLOB_NOSORT, nullptr, &result);
            if (status == 0) {
                for (std::size_t i = 0; i < result.gl_pathc; ++i) {
                    matches.emplace_back(result.gl_pathv[i]);
                }
            }
            globfree(&result);
            if (matches.empty()) {
                throw InputError("no file matches " + argument);
            }
            std::sort(matches.begin(), matches.end());
        } else {
            matches.push_back(argument);
        }
        for (auto& path : matches) {
            struct stat st {};

            if (::stat(path.c_str(), &st) != 0) {
                throw InputError("cannot read " + path + ": no such file");
            }
            if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
                throw InputError("cannot read " + path + ": not a regular file");
            }
            if (std::find(paths.begin(), paths.end(), path) == paths.end()) {
                paths.push_back(std::move(path));
            }
        }
    }
    return order_rotated(std::move(paths));
}

} // namespace analytics::input
