// The access_logs record: the columns that can be set by name.

#include <analytics/record/access_record.hpp>

#include <doctest/doctest.h>

using namespace analytics;

TEST_CASE("columns set by name are the settable text columns") {
    record::AccessRecord r;
    CHECK(record::set_column(r, "utm_source", "news"));
    CHECK(r.utm_source.value() == "news");
    CHECK(record::set_column(r, "device_type", "Desktop"));
    CHECK(record::text_column_member("utm_source") == &record::AccessRecord::utm_source);
    // Only a parser sets these, and the others are not text.
    for (const char* name : {"request_path", "request_query_string", "id", "ts", "roles",
                             "status_code", "request_details", "no_such_column"}) {
        CHECK_FALSE(record::set_column(r, name, "x"));
        CHECK(record::text_column_member(name) == nullptr);
    }
}
