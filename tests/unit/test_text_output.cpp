// The byte scanner, the escapers built on it and ASCII lower-casing, against byte-at-a-time
// references over every position and byte class.

#include <analytics/load/copy_text.hpp>
#include <analytics/util/byte_scan.hpp>
#include <analytics/util/json_text.hpp>
#include <analytics/util/json_writer.hpp>
#include <analytics/util/text.hpp>
#include <analytics/util/url.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>

using namespace analytics;

namespace {

std::size_t naive_find(std::string_view s, std::size_t from, char a, char b) {
    for (std::size_t i = from; i < s.size(); ++i) {
        if (static_cast<unsigned char>(s[i]) < 0x20 || s[i] == a || s[i] == b) {
            return i;
        }
    }
    return s.size();
}

std::size_t naive_either(std::string_view s, std::size_t from, char a, char b) {
    for (std::size_t i = from; i < s.size(); ++i) {
        if (s[i] == a || s[i] == b) {
            return i;
        }
    }
    return s.size();
}

std::string naive_json(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (u < 0x20) {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 0xF];
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string naive_copy(std::string_view s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\0':
            out += "\xEF\xBF\xBD";
            break; // U+FFFD: COPY refuses NUL
        default:
            out += c;
        }
    }
    return out;
}

// Every byte value at every offset `at` of texts of every length up to two
// 16-byte blocks, a word and the bytes after, among runs of bytes >= 0x80
// and of the bytes just above the limit, which a borrow could disturb; with
// and without a match ('"') before it (the tail loads overlap bytes already
// seen): fn(text, at).
template <typename Fn>
void for_each_probe(Fn&& fn) {
    for (const char filler : {'a', ' ', '!', '\x80', '\xff', '#', '[', ']'}) {
        for (std::size_t size = 0; size <= 43; ++size) {
            for (int byte = 0; byte < 256; ++byte) {
                for (std::size_t at = 0; at < size; ++at) {
                    for (const bool match_before : {false, true}) {
                        std::string s(size, filler);
                        if (match_before && at > 0) {
                            s[at - 1] = '"';
                        }
                        s[at] = static_cast<char>(byte);
                        fn(s, at);
                    }
                }
            }
        }
    }
}

} // namespace

TEST_CASE("find_control_or finds the first control character or chosen byte") {
    CHECK(find_control_or("", 0, '"', '\\') == 0);
    CHECK(find_control_or("plain text, long enough for words", 0, '"', '\\') == 33);
    CHECK(find_control_or("abcdefgh\"ijk", 0, '"', '\\') == 8);
    CHECK(find_control_or("abcdefghijklmno\\", 3, '"', '\\') == 15);
    CHECK(find_control_or("\x7f\x80\xff\xc3\xa9 \x1f", 0, '"', '\\') == 6);
    CHECK(find_control_or("a\"b", 2, '"', '\\') == 3);

    for_each_probe([](const std::string& s, std::size_t at) {
        for (const std::size_t from : {std::size_t{0}, at, at + 1}) {
            // Checked quietly, reported only when wrong: six million
            // REQUIREs took seconds.
            const bool agree =
                find_control_or(s, from, '"', '\\') == naive_find(s, from, '"', '\\') &&
                find_control_or(s, from, '\\', '\\') == naive_find(s, from, '\\', '\\') &&
                find_either(s, from, '"', '%') == naive_either(s, from, '"', '%');
            if (!agree) {
                CAPTURE(s);
                CAPTURE(at);
                CAPTURE(from);
                REQUIRE(find_control_or(s, from, '"', '\\') == naive_find(s, from, '"', '\\'));
                REQUIRE(find_control_or(s, from, '\\', '\\') == naive_find(s, from, '\\', '\\'));
                REQUIRE(find_either(s, from, '"', '%') == naive_either(s, from, '"', '%'));
            }
        }
    });
}

TEST_CASE("copy_until_control_or copies exactly the bytes before the first match") {
    for_each_probe([](const std::string& s, std::size_t at) {
        std::string copy(s.size(), '\x01');
        const std::size_t found = copy_until_control_or(s.data(), s.size(), copy.data(), '"', '\\');
        const std::size_t expected = naive_find(s, 0, '"', '\\');
        if (found != expected || copy.compare(0, found, s, 0, found) != 0) {
            CAPTURE(s);
            CAPTURE(at);
            REQUIRE(found == expected);
            REQUIRE(copy.substr(0, found) == s.substr(0, found));
        }
    });
    // No match at all: everything copied, nothing written past n.
    for (std::size_t size = 0; size <= 70; ++size) {
        const std::string s(size, 'x');
        std::string copy(size + 16, '-');
        REQUIRE(copy_until_control_or(s.data(), size, copy.data(), '"', '\\') == size);
        REQUIRE(copy == s + std::string(16, '-'));
    }
}

TEST_CASE("percent_decode agrees with a byte-at-a-time reference") {
    // The reference: a '%' and two hex digits is one byte, '+' a blank when
    // asked; anything else (a '%' without two digits after it) as it is.
    const auto reference = [](std::string_view in, bool plus_as_space) {
        const auto hex = [](char c) {
            return c >= '0' && c <= '9'   ? c - '0'
                   : c >= 'a' && c <= 'f' ? c - 'a' + 10
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                          : -1;
        };
        std::string out;
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.push_back(static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2])));
                i += 2;
            } else {
                out.push_back(plus_as_space && in[i] == '+' ? ' ' : in[i]);
            }
        }
        return out;
    };
    CHECK(reference("a%2Fb+c%zz%4", true) == "a/b c%zz%4");
    std::mt19937_64 random(13);
    const std::string alphabet = "%+aF09g /";
    std::string decoded = "left over from before, longer than any input";
    for (int round = 0; round < 5000; ++round) {
        std::string s(random() % 40, ' ');
        for (auto& c : s) {
            c = alphabet[random() % alphabet.size()];
        }
        for (const bool plus_as_space : {false, true}) {
            CAPTURE(s);
            percent_decode(s, decoded, plus_as_space);
            REQUIRE(decoded == reference(s, plus_as_space));
        }
    }
}

TEST_CASE("the escapers agree with byte-at-a-time references on random text") {
    std::mt19937_64 random(7);
    const std::string alphabet = std::string("abc \"\\\n\r\t\x01\x1f\x7f\xc3\xa9") + '\0';
    for (int round = 0; round < 2000; ++round) {
        std::string s(random() % 70, ' ');
        for (auto& c : s) {
            c = alphabet[random() % alphabet.size()];
        }
        CAPTURE(s);
        std::string json;
        append_json_string(json, s);
        REQUIRE(json == naive_json(s));

        std::string copy;
        load::append_copy_text(copy, s);
        REQUIRE(copy == naive_copy(s));
    }
}

TEST_CASE("JsonWriter writes what append_json_string does, growing past its scratch") {
    std::mt19937_64 random(11);
    const std::string alphabet = std::string("abc \"\\\n\r\t\x01\x1f\x7f\xc3\xa9") + '\0';
    std::string scratch; // one buffer for every writer, as a thread keeps it
    for (int round = 0; round < 300; ++round) {
        // Up to 3 pieces of up to 3,000 bytes: past the first 4,096 bytes of
        // room, at any point of a piece.
        std::string expected = "prefix:";
        std::string out = expected;
        JsonWriter w(scratch);
        const auto pieces = random() % 4;
        for (std::uint64_t p = 0; p < pieces; ++p) {
            std::string s(random() % 3000, ' ');
            for (auto& c : s) {
                c = alphabet[random() % alphabet.size()];
            }
            const auto n = static_cast<std::int64_t>(random()) >> (random() % 64);
            w.string(s);
            w.put(',');
            w.integer(n);
            expected += naive_json(s) + "," + std::to_string(n);
        }
        w.append_to(out);
        REQUIRE(out == expected);
    }
}

TEST_CASE("ASCII lower-casing changes A-Z only, at every offset of every size") {
    // Sizes up to two blocks and a word: the blocks, the words and the
    // overlapping last ones.
    for (std::size_t size = 1; size <= 43; ++size) {
        for (int byte = 0; byte < 256; ++byte) {
            for (std::size_t at = 0; at < size; ++at) {
                for (const char filler : {'A', 'z', '@', '[', '\x80', '\xc1', '\xda'}) {
                    std::string s(size, filler);
                    s[at] = static_cast<char>(byte);
                    std::string expected = s;
                    for (char& c : expected) {
                        c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
                    }
                    std::string lowered = s;
                    to_lower_ascii(lowered);
                    std::string assigned;
                    assign_lower_ascii(assigned, s);
                    if (lowered != expected || assigned != expected) {
                        CAPTURE(size);
                        CAPTURE(byte);
                        CAPTURE(at);
                        REQUIRE(lowered == expected);
                        REQUIRE(assigned == expected);
                    }
                }
            }
        }
    }
}
