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
}
