// COPY text of the rows the database loads: escaping, NULLs, arrays, JSON,
// the column order.

#include "utc_time.hpp"

#include <analytics/load/copy_text.hpp>
#include <analytics/record/access_record.hpp>

#include <doctest/doctest.h>

using namespace analytics;

TEST_CASE("COPY text escapes what COPY reads specially, and NUL") {
    std::string out;
    load::append_copy_text(out, std::string_view("a\tb\nc\\d\re\0f", 11));
    CHECK(out == "a\\tb\\nc\\\\d\\re\xEF\xBF\xBD"
                 "f");
}

TEST_CASE("COPY jsonb doubles backslashes and replaces an escaped NUL") {
    std::string out;
    load::append_copy_json(out, R"({"a":"x\"y","b":"\u0000","c":"\\u0000"})");
    // "\\u0000" is a backslash then "u0000": kept; "\u0000" becomes "\ufffd".
    CHECK(out == R"({"a":"x\\"y","b":"\\ufffd","c":"\\\\u0000"})");
}

TEST_CASE("an access row: NULLs, arrays, JSON, the timestamp last") {
    record::AccessRecord r;
    r.id = "abc";
    r.ts_us = utc("2026-11-22T10:00:00.5Z");
    r.request_method.set("GET");
    r.roles.null = false;
    r.roles.items = {"ROLE_A", "x\"y"};
    r.request_details.set_string("service", "WMS");
    r.status_code.set(200);
    std::string out, scratch;
    load::append_copy_row(out, r, scratch);
    CHECK(out.back() == '\n');
    CHECK(out.find("abc\t\\N\t") == 0); // id, then message NULL
    CHECK(out.find("{\"ROLE_A\",\"x\\\\\"y\"}") != std::string::npos);
    CHECK(out.find("{\"service\":\"WMS\"}") != std::string::npos);
    CHECK(out.find("\t200\t") != std::string::npos);
    CHECK(out.substr(out.size() - 29) == "\t2026-11-22T10:00:00.500000Z\n");
    // As many fields as columns.
    std::size_t columns = 1, fields = 1;
    for (const char* c = load::access_columns; *c; ++c) {
        columns += *c == ',' ? 1 : 0;
    }
    for (char c : out) {
        fields += c == '\t' ? 1 : 0;
    }
    CHECK(fields == columns);
    // The table's order, the timestamp moved last (record/access_columns.def).
    const std::string_view list = load::access_columns;
    CHECK(list.substr(0, 13) == "id, message, ");
    CHECK(list.substr(list.size() - 18) == ", country_code, ts");
}
