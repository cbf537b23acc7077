#include <analytics/db/statements.hpp>
#include <analytics/storage/tables.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <ostream> // doctest stringifies std::string through it
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace analytics;

namespace {

std::vector<std::string> names(std::initializer_list<const char*> list) {
    return {list.begin(), list.end()};
}

bool uses_only(const db::Statement& statement, const std::set<std::string>& given) {
    return std::all_of(statement.parameters.begin(), statement.parameters.end(),
                       [&given](const std::string& name) { return given.count(name) != 0; });
}

} // namespace

TEST_SUITE("db") {
    TEST_CASE("a statement's parameters: named on its first line, $n in its text") {
        CHECK(db::parameter_names("-- parameters: start end zone\nSELECT $1, $2, $3") ==
              names({"start", "end", "zone"}));
        CHECK(db::parameter_names("-- parameters:\nSELECT 1").empty());
        CHECK(db::parameter_names("SELECT 1\n-- parameters: a").empty());
        CHECK(db::highest_placeholder("SELECT $2::date, $12::int, '$' || $1") == 12);
        CHECK(db::highest_placeholder("SELECT '$'") == 0);
    }

    TEST_CASE("array parameters: elements quoted, quotes and backslashes escaped") {
        CHECK(db::array_literal({}) == "{}");
        CHECK(db::array_literal({"2024-01-01", "2024-02-01"}) == "{\"2024-01-01\",\"2024-02-01\"}");
        CHECK(db::array_literal({"a \"b\"", "c\\d", "NULL", ""}) ==
              "{\"a \\\"b\\\"\",\"c\\\\d\",\"NULL\",\"\"}");
    }

    TEST_CASE("every embedded statement names as many parameters as it uses") {
        REQUIRE_FALSE(db::embedded_statements().empty());
        for (const auto& statement : db::embedded_statements()) {
            CAPTURE(statement.name);
            CHECK(statement.sql.find_first_not_of(" \n") != std::string::npos);
            CHECK(static_cast<int>(statement.parameters.size()) ==
                  db::highest_placeholder(statement.sql));
        }
        CHECK_THROWS_AS(db::statement("rollup/no_such_table"), std::logic_error);
    }

    TEST_CASE("each rollup table has its statement, which writes it from what rollup binds") {
        const std::set<std::string> bound{"start", "end",      "day",
                                          "zone",  "patterns", "placeholders"};
        for (const auto& table : storage::rollup_tables()) {
            CAPTURE(table.name);
            const auto& statement = db::statement(std::string("rollup/") + table.name);
            CHECK(statement.sql.find(std::string("INSERT INTO ") + table.name + " (") !=
                  std::string::npos);
            CHECK(statement.sql.find(std::string("DELETE FROM ") + table.name + "\n    WHERE " +
                                     table.period + " ") != std::string::npos);
            CHECK(uses_only(statement, bound));
        }
    }

    TEST_CASE("the report's statements are all there, with what report binds") {
        const std::set<std::string> bound{"from", "to",  "months",    "kept_from", "kept_to",
                                          "top",  "app", "workspace", "service"};
        for (const char* name : {"bounds", "pruned_months", "days", "searches", "rankings"}) {
            CAPTURE(name);
            CHECK(uses_only(db::statement(std::string("report/") + name), bound));
        }
        CHECK(db::statement("report/rankings").parameters ==
              names({"from", "to", "months", "kept_from", "kept_to", "top", "app", "workspace",
                     "service"}));
    }
}
