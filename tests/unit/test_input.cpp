#include <analytics/input/inputs.hpp>
#include <analytics/input/line_reader.hpp>
#include <analytics/util/byte_buffer.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/text.hpp>

#include <doctest/doctest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <ostream>
#include <string>
#include <unistd.h>
#include <utility>

using namespace analytics;

namespace {

struct TempDir {
    std::string path;

    TempDir() {
        char name[] = "/tmp/analytics-test-XXXXXX";
        path = ::mkdtemp(name);
    }

    ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }

    std::string file(const std::string& name, const std::string& content) const {
        const std::string p = path + "/" + name;
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }

    std::string gz(const std::string& name, const std::vector<std::string>& members) const {
        const std::string p = path + "/" + name;
        std::ofstream out(p, std::ios::binary);
        for (const auto& member : members) { // concatenated gzip members
            const std::string tmp = path + "/member.gz";
            gzFile f = gzopen(tmp.c_str(), "wb");
            gzwrite(f, member.data(), static_cast<unsigned>(member.size()));
            gzclose(f);
            std::ifstream in(tmp, std::ios::binary);
            out << in.rdbuf();
        }
        return p;
    }
};

std::vector<std::string> read_all(const std::string& path, std::string* error = nullptr) {
    input::LineReader reader(path);
    std::vector<std::string> lines;
    std::string_view line;
    while (reader.next(line)) {
        lines.emplace_back(reader.line_too_long() ? "(too long)" : std::string(line));
    }
    if (error != nullptr) {
        *error = reader.error();
    }
    return lines;
}

} // namespace

TEST_SUITE("input") {
    TEST_CASE("a moved-from byte buffer is empty and usable") {
        analytics::ByteBuffer buffer;
        buffer.resize(5);
        std::memcpy(buffer.data(), "abcde", 5);
        analytics::ByteBuffer moved(std::move(buffer));
        CHECK(buffer.size() == 0); // NOLINT(bugprone-use-after-move): the moved-from state
        buffer.resize(3);          // takes new bytes: its capacity went with the move
        std::memcpy(buffer.data(), "xyz", 3);
        CHECK(std::string(buffer.data(), buffer.size()) == "xyz");
        CHECK(std::string(moved.data(), moved.size()) == "abcde");
        analytics::ByteBuffer assigned;
        assigned = std::move(moved);
        CHECK(moved.size() == 0); // NOLINT(bugprone-use-after-move)
        moved.resize(2);
        std::memcpy(moved.data(), "ok", 2);
        CHECK(std::string(assigned.data(), assigned.size()) == "abcde");
    }

    TEST_CASE("lines: LF, CRLF, no final newline, empty file") {
        TempDir dir;
        CHECK(read_all(dir.file("a", "one\ntwo\r\n\nthree")) ==
              std::vector<std::string>{"one", "two", "", "three"});
        CHECK(read_all(dir.file("b", "")).empty());
        CHECK(read_all(dir.file("c", "\n")) == std::vector<std::string>{""});
    }

    TEST_CASE("gzip, concatenated members, truncated data") {
        TempDir dir;
        const auto gz = dir.gz("a.gz", {"one\ntwo\n", "three\n"});
        CHECK(read_all(gz) == std::vector<std::string>{"one", "two", "three"});
        std::string big;
        for (int i = 0; i < 100000; ++i) {
            big += "line " + std::to_string(i) + "\n";
        }
        const auto full = dir.gz("big.gz", {big});
        std::string bytes;
        if (std::FILE* f = std::fopen(full.c_str(), "rb")) {
            char buffer[65536];
            std::size_t n = 0;
            while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
                bytes.append(buffer, n);
            }
            std::fclose(f);
        }
        const auto cut = dir.file("cut.gz", bytes.substr(0, bytes.size() / 2));
        std::string error;
        const auto lines = read_all(cut, &error);
        CHECK(lines.size() > 1000);
        CHECK(lines.size() < 100000);
        CHECK(error.find("truncated or corrupt gzip") != std::string::npos);
    }

    TEST_CASE("an over-long line is cut and flagged, the next ones are intact") {
        TempDir dir;
        std::string content = "first\n";
        content += std::string(input::LineReader::max_line_bytes + 100, 'x');
        content += "\nlast\n";
        input::LineReader reader(dir.file("long", content));
        std::string_view line;
        REQUIRE(reader.next(line));
        CHECK(line == "first");
        REQUIRE(reader.next(line));
        CHECK(reader.line_too_long());
        CHECK(line.size() == input::LineReader::max_line_bytes);
        REQUIRE(reader.next(line));
        CHECK_FALSE(reader.line_too_long());
        CHECK(line == "last");
        CHECK(reader.offset() == content.size());
        CHECK_FALSE(reader.next(line));
    }

    TEST_CASE("missing inputs and globs") {
        TempDir dir;
        CHECK_THROWS_AS(input::LineReader(dir.path + "/nope"), InputError);
        CHECK_THROWS_AS(input::resolve_inputs({dir.path + "/nope"}), InputError);
        CHECK_THROWS_AS(input::resolve_inputs({dir.path + "/*.log"}), InputError);
        CHECK_THROWS_AS(input::resolve_inputs({dir.path}), InputError);
        CHECK(input::resolve_inputs({}) == std::vector<std::string>{"-"});
    }

    TEST_CASE("rotated sets are read oldest first") {
        TempDir dir;
        for (const char* name : {"access.log", "access.log.1", "access.log.2.gz",
                                 "access.log.10.gz", "error.log", "error.log.1"}) {
            dir.file(name, "");
        }
        const auto d = dir.path + "/";
        CHECK(input::resolve_inputs({d + "access.log*", d + "error.log*"}) ==
              std::vector<std::string>{d + "access.log.10.gz", d + "access.log.2.gz",
                                       d + "access.log.1", d + "access.log", d + "error.log.1",
                                       d + "error.log"});
        CHECK(
            input::order_rotated({"x/app.log", "x/app.log-20251202.gz", "x/app.log-20251201.gz"}) ==
            std::vector<std::string>{"x/app.log-20251201.gz", "x/app.log-20251202.gz",
                                     "x/app.log"});
    }

    TEST_CASE("UTF-8 helpers") {
        CHECK(is_valid_utf8("plain ascii and é and 😀"));
        CHECK_FALSE(is_valid_utf8("\xC3"));
        CHECK_FALSE(is_valid_utf8("\xED\xA0\x80")); // surrogate
        CHECK_FALSE(is_valid_utf8("\xC0\xAF"));     // overlong
        std::string out;
        CHECK(repair_utf8("a\xFFz", out) == 1);
        CHECK(out == "a\xEF\xBF\xBDz");
        CHECK(truncate_utf8("ééé", 2) == "éé");
    }

    TEST_CASE("truncate_utf8 and cut_utf8 keep whole characters, an invalid byte counting as one") {
        const auto reference = [](std::string_view s, std::size_t max) {
            std::size_t i = 0;
            for (std::size_t count = 0; i < s.size() && count < max; ++count) {
                const auto byte = static_cast<unsigned char>(s[i]);
                const std::size_t n = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
                i += byte >= 0x80 && byte < 0xC2 ? 1 : std::min(n, s.size() - i);
            }
            return s.substr(0, i);
        };
        for (const std::string piece : {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
            std::string s;
            for (int length = 0; length < 6; ++length) {
                for (std::size_t max = 0; max <= s.size() + 1; ++max) {
                    CAPTURE(s);
                    CAPTURE(max);
                    REQUIRE(truncate_utf8(s, max) == reference(s, max));
                    std::string cut = s;
                    REQUIRE(cut_utf8(cut, max) == (reference(s, max).size() < s.size()));
                    REQUIRE(cut == reference(s, max));
                }
                s += piece;
                s += "b";
            }
        }
    }

    TEST_CASE("UTF-8 validity does not depend on where a sequence falls among ASCII") {
        // At every offset of ASCII runs longer than the fast paths' blocks,
        // including across their edges and cut short by the end.
        const std::pair<std::string, bool> sequences[] = {
            {"\xC3\xA9", true},      {"\xF0\x9F\x98\x80", true},
            {"\xE2\x82\xAC", true},  {"\xC3", false},
            {"\xED\xA0\x80", false}, {"\xC0\xAF", false},
            {"\xFF", false},         {"\x80", false},
            {"\xF0\x9F\x98", false}, {"\xF4\x90\x80\x80", false}};
        for (const auto& [sequence, valid] : sequences) {
            for (std::size_t size = 0; size <= 70; ++size) {
                for (std::size_t at = 0; at <= size; ++at) {
                    std::string text(size, 'a');
                    text.insert(at, sequence);
                    if (is_valid_utf8(text) != valid) {
                        CAPTURE(size);
                        CAPTURE(at);
                        CAPTURE(sequence);
                        REQUIRE(is_valid_utf8(text) == valid);
                    }
                }
            }
        }
    }
}
