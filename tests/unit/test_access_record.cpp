// The access_logs record: the columns that can be set and cleared by name.

#include <analytics/record/access_record.hpp>

#include <doctest/doctest.h>

using namespace analytics;

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
