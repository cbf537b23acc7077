#include <analytics/util/text.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace analytics;

TEST_SUITE("text") {
    TEST_CASE("a quoted value is whole up to its bound, else cut with its length") {
        CHECK(quoted_value("999") == "\"999\"");
        CHECK(quoted_value("99999999999999999999") == "\"99999999999999999999\"");
        const std::string long_value(250, '9');
        CHECK(quoted_value(long_value) ==
              "\"" + std::string(quoted_value_chars, '9') + "…\" (250 bytes)");
        // Cut on a character boundary.
        std::string accents;
        for (int i = 0; i < 150; ++i) {
            accents += "é";
        }
        const std::string quoted = quoted_value(accents);
        CHECK(quoted.rfind("é…\" (300 bytes)") != std::string::npos);
    }

    TEST_CASE("assign_text copies from another buffer and from its own") {
        std::string s = "a first value, long enough to live on the heap";
        assign_text(s, "short");
        CHECK(s == "short");
        const std::string other(300, 'x');
        assign_text(s, other);
        CHECK(s == other);
        assign_text(s, std::string_view(s).substr(10, 5)); // a part of itself
        CHECK(s == "xxxxx");
        s = "hello world";
        assign_text(s, std::string_view(s).substr(0, 5)); // its own start
        CHECK(s == "hello");
        s = "hello world";
        assign_text(s, std::string_view(s).substr(6));
        CHECK(s == "world");
        assign_text(s, std::string_view());
        CHECK(s.empty());
    }

    TEST_CASE("iequals folds ASCII letters only, and sizes must match") {
        CHECK(iequals("", ""));
        CHECK(iequals("GeoServer", "geoserver"));
        CHECK(iequals("X-Forwarded-For", "x-forwarded-for"));
        CHECK_FALSE(iequals("geoserver", "geoserve"));
        CHECK_FALSE(iequals("geoserve", "geoserver"));
        CHECK_FALSE(iequals("", "a"));
        CHECK_FALSE(iequals("wms", "wfs"));
        // Every byte against every byte: equal exactly when they are the same
        // or the same ASCII letter (the neighbours of 'A'-'Z' and 'a'-'z',
        // and non-ASCII bytes, are not folded).
        for (int a = 0; a < 256; ++a) {
            for (int b = 0; b < 256; ++b) {
                const char x[] = {'k', static_cast<char>(a)};
                const char y[] = {'K', static_cast<char>(b)};
                const bool letters =
                    (a | 0x20) == (b | 0x20) && (a | 0x20) >= 'a' && (a | 0x20) <= 'z';
                CHECK(iequals(std::string_view(x, 2), std::string_view(y, 2)) ==
                      (a == b || letters));
            }
        }
    }
}
