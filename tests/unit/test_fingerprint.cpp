// How inputs are recognised: by their first line, and files by their bytes.

#include <analytics/input/fingerprint.hpp>

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

using namespace analytics;

namespace {

std::string temp_file(const std::string& name, const std::string& content) {
    const std::string path = "/tmp/analytics-unit-" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

} // namespace

TEST_CASE("an input is known by its first line, a file by its bytes") {
    const std::string a = temp_file("fp-a.log", "first line\nsecond\n");
    const std::string b = temp_file("fp-b.log", "first line\nother\nmore\n");
    const std::string c = temp_file("fp-c.log", "another first\n");
    CHECK(input::content_identity(a) == input::content_identity(b));
    CHECK(input::content_identity(a) != input::content_identity(c));
    CHECK(input::file_facts(a).signature != input::file_facts(b).signature);
    CHECK(input::file_facts(a).signature == input::file_facts(a).signature);
    CHECK_FALSE(input::file_facts(a).compressed);
    CHECK(input::content_identity(temp_file("fp-empty.log", "")).empty());
    for (const auto& path : {a, b, c}) {
        std::remove(path.c_str());
    }
}
