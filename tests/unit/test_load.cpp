// What the database loads are made of, without a database: COPY text,
// local months and days, batches, input fingerprints.

#include <analytics/input/fingerprint.hpp>
#include <analytics/load/batch.hpp>
#include <analytics/load/copy_text.hpp>
#include <analytics/storage/calendar.hpp>
#include <analytics/storage/partitions.hpp>
#include <analytics/util/hash.hpp>

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

using namespace analytics;

namespace {

std::int64_t utc(const char* iso) {
    return *parse::parse_iso_time(iso, parse::LocalZone("UTC"));
}

std::string temp_file(const std::string& name, const std::string& content) {
    const std::string path = "/tmp/analytics-unit-" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

} // namespace

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
    CHECK(list.substr(list.size() - 21) == ", client_instance, ts");
}

TEST_CASE("columns set and cleared by name are the settable text columns and roles") {
    record::AccessRecord r;
    CHECK(record::set_column(r, "utm_source", "news"));
    CHECK(r.utm_source.value() == "news");
    CHECK(record::set_column(r, "device_type", "Desktop"));
    CHECK(record::null_column(r, "utm_source"));
    CHECK(r.utm_source.is_null());
    // Only a parser sets these, and the others are not text.
    for (const char* name : {"request_path", "request_query_string", "id", "ts", "roles",
                             "status_code", "request_details", "no_such_column"}) {
        CHECK_FALSE(record::set_column(r, name, "x"));
    }
    CHECK_FALSE(record::null_column(r, "request_path"));
    record::set_roles(r, "ROLE_A, ROLE_B");
    CHECK(r.roles.items.size() == 2);
    CHECK(record::null_column(r, "roles"));
    CHECK(r.roles.null);
    CHECK(r.roles.items.empty());
}

TEST_CASE("local months begin at local midnight; days follow the zone") {
    const parse::LocalZone paris("Europe/Paris");
    const auto march = storage::month_of(paris, utc("2026-03-31T22:30:00Z")); // 00:30 local, April
    CHECK(march.year == 2026);
    CHECK(march.month == 4);
    CHECK(march.from_us == utc("2026-03-31T22:00:00Z")); // CEST
    CHECK(march.to_us == utc("2026-04-30T22:00:00Z"));
    const auto january = storage::month_span(paris, 2026, 1);
    CHECK(january.from_us == utc("2025-12-31T23:00:00Z")); // CET
    CHECK(storage::format_day(storage::local_day(paris, utc("2026-03-28T23:30:00Z"))) ==
          "2026-03-29");
    CHECK(storage::format_day(storage::local_day(paris, utc("1999-06-15T10:00:00Z"))) ==
          "1999-06-15");
    CHECK(storage::partition_name("access_logs", 2100, 6) == "access_logs_p210006");
}

TEST_CASE("a batch knows its months and days, and keeps rejects safe") {
    const parse::LocalZone paris("Europe/Paris");
    load::Batch batch(paris);
    record::AccessRecord r;
    r.id = "1";
    for (const char* ts : {"2026-03-31T21:00:00Z", "2026-03-31T21:30:00Z", "2026-03-31T22:30:00Z",
                           "2026-04-01T10:00:00Z"}) {
        r.ts_us = utc(ts);
        batch.add(r);
    }
    const auto& rows = batch.rows(load::Table::access_logs);
    CHECK(rows.rows == 4);
    CHECK(rows.months.size() == 2);
    CHECK(rows.days.size() == 2); // March 31 and April 1, local
    batch.add_reject(7, "bad", std::string("x api_key=SECRET \xff\0", 19));
    REQUIRE(batch.rejects().size() == 1);
    CHECK(batch.rejects()[0].text.find("SECRET") == std::string::npos);
    CHECK(batch.rejects()[0].text.find('\0') == std::string::npos);
    batch.clear();
    CHECK(batch.empty());
}

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

TEST_CASE("the running hash depends on every line and their order") {
    const auto h1 = combine_hash(combine_hash(0, hash64("a")), hash64("b"));
    const auto h2 = combine_hash(combine_hash(0, hash64("b")), hash64("a"));
    CHECK(h1 != h2);
    CHECK(h1 == combine_hash(combine_hash(0, hash64("a")), hash64("b")));
}
