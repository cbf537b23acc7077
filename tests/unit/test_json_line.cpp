#include <analytics/parse/json_line.hpp>

#include <doctest/doctest.h>

#include <string>

using analytics::parse::JsonLine;
using analytics::parse::quote_unrepresentable_numbers;

namespace {

std::string requoted(std::string_view json) {
    std::string out;
    return quote_unrepresentable_numbers(json, out) ? out : std::string("(unchanged)");
}

} // namespace

TEST_SUITE("json_line") {
    TEST_CASE("numbers simdjson cannot hold become strings of the same digits") {
        CHECK(requoted(R"({"a":99999999999999999999})") == R"({"a":"99999999999999999999"})");
        CHECK(requoted(R"({"a":-9223372036854775809,"b":1})") ==
              R"({"a":"-9223372036854775809","b":1})");
        CHECK(requoted(R"([1e400,-1E+999,2.5])") == R"(["1e400","-1E+999",2.5])");
    }

    TEST_CASE("numbers it holds, and digits inside strings, are left alone") {
        CHECK(requoted(R"({"a":18446744073709551615,"b":-9223372036854775808,"c":1e300})") ==
              "(unchanged)");
        CHECK(requoted(R"({"s":"99999999999999999999","t":"\"1e400"})") == "(unchanged)");
    }

    TEST_CASE("a line with such a number parses; other invalid JSON still fails") {
        simdjson::dom::parser parser;
        JsonLine line;
        simdjson::dom::element root;
        std::string reason;
        REQUIRE(
            line.parse(parser, R"({"status_code":12345678901234567890123,"x":1})", root, reason));
        std::string_view text;
        CHECK(root["status_code"].get_string().get(text) == simdjson::SUCCESS);
        CHECK(text == "12345678901234567890123");
        CHECK(int64_t(root["x"]) == 1);
        CHECK_FALSE(line.parse(parser, R"({"a":99999999999999999999,)", root, reason));
        CHECK(reason.rfind("invalid JSON: ", 0) == 0);
    }
}
