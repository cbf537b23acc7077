// JSON documents of the summaries and the report: nlohmann's escaping and
// key order, numbers with decimals in the fixed form the outputs always had.

#include <analytics/util/json_document.hpp>

#include <doctest/doctest.h>

using namespace analytics;

TEST_CASE("dump_json keeps the key order and writes one line") {
    nlohmann::ordered_json doc;
    doc["zeta"] = 1;
    doc["alpha"] = {{"b", "x"}, {"a", nullptr}};
    doc["list"] = {true, false};
    doc["empty"] = nlohmann::ordered_json::object();
    CHECK(dump_json(doc) ==
          R"({"zeta":1,"alpha":{"b":"x","a":null},"list":[true,false],"empty":{}})");
}

TEST_CASE("dump_json writes numbers with decimals in a fixed form") {
    nlohmann::ordered_json doc;
    doc["seconds"] = 0.0;
    doc["reject_ratio"] = 0.5;
    doc["steps"] = {{{"seconds", 1.23456}}};
    doc["count"] = std::uint64_t{18446744073709551615U};
    CHECK(dump_json(doc) ==
          R"({"seconds":0.000,"reject_ratio":0.500,"steps":[{"seconds":1.235}],)"
          R"("count":18446744073709551615})");
    CHECK(dump_json(doc, 3, {{"reject_ratio", 6}}) ==
          R"({"seconds":0.000,"reject_ratio":0.500000,"steps":[{"seconds":1.235}],)"
          R"("count":18446744073709551615})");
}

TEST_CASE("dump_json escapes strings and repairs invalid UTF-8") {
    nlohmann::ordered_json doc;
    doc["k\"ey"] = "a\\b\n\x01 é";
    doc["bad"] = std::string("x\xff");
    CHECK(dump_json(doc) == "{\"k\\\"ey\":\"a\\\\b\\n\\u0001 é\",\"bad\":\"x\xef\xbf\xbd\"}");
}
