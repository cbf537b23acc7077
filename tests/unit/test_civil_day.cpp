#include <analytics/time/civil_day.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>

#include <doctest/doctest.h>

#include <cstdio>
#include <iterator>
#include <ostream>

using namespace analytics::time;

TEST_SUITE("civil days") {
    TEST_CASE("civil dates round-trip across the whole range") {
        for (std::int64_t days = -800000; days <= 2932896; days += 997) {
            int y = 0;
            unsigned m = 0, d = 0;
            civil_from_days(days, y, m, d);
            CHECK(days_from_civil(y, m, d) == days);
        }
        CHECK(days_from_civil(1970, 1, 1) == 0);
        CHECK(days_from_civil(2000, 3, 1) == 11017);
        CHECK(days_from_civil(2026, 2, 31) == days_from_civil(2026, 3, 3)); // counts on
    }

    TEST_CASE("the hot path's own copy agrees with the library") {
        const LocalZone utc("UTC");
        for (std::int64_t days = -719162; days <= 2932896; days += 367) { // 0001-01-01 … 9999
            int y = 0;
            unsigned m = 0, d = 0;
            civil_from_days(days, y, m, d);
            char text[16];
            std::snprintf(text, sizeof text, "%04d-%02u-%02u", y, m, d);
            CHECK(format_iso_utc(days * us_per_day) == std::string(text) + "T00:00:00Z");
            CHECK(parse_iso_time(text, utc) == days * us_per_day);
        }
    }

    TEST_CASE("timestamps are written alike whatever was written before") {
        // write_iso_utc remembers the last day it wrote (per thread).
        const std::int64_t instants[] = {0,
                                         -1,
                                         us_per_day - 1,
                                         us_per_day,
                                         days_from_civil(2024, 2, 29) * us_per_day + 1,
                                         days_from_civil(2024, 2, 29) * us_per_day + 999999,
                                         days_from_civil(2024, 3, 1) * us_per_day - 1,
                                         days_from_civil(1, 1, 1) * us_per_day,
                                         days_from_civil(9999, 12, 31) * us_per_day + 86399999999};
        const char* expected[] = {"1970-01-01T00:00:00Z",        "1969-12-31T23:59:59.999999Z",
                                  "1970-01-01T23:59:59.999999Z", "1970-01-02T00:00:00Z",
                                  "2024-02-29T00:00:00.000001Z", "2024-02-29T00:00:00.999999Z",
                                  "2024-02-29T23:59:59.999999Z", "0001-01-01T00:00:00Z",
                                  "9999-12-31T23:59:59.999999Z"};
        for (std::size_t before = 0; before < std::size(instants); ++before) {
            for (std::size_t i = 0; i < std::size(instants); ++i) {
                (void)format_iso_utc(instants[before]);
                CAPTURE(before);
                CHECK(format_iso_utc(instants[i]) == expected[i]);
            }
        }
    }

    TEST_CASE("days from the command line and from date columns") {
        CHECK(parse_day("2026-11-23", "--from") == days_from_civil(2026, 11, 23));
        CHECK(parse_day("1969-12-31", "--from") == -1);
        CHECK(parse_day("2026-02-31", "--to") == days_from_civil(2026, 3, 3));
        CHECK_THROWS_WITH_AS(parse_day("2026-13-01", "--to"),
                             "--to expects a date YYYY-MM-DD, got \"2026-13-01\"",
                             analytics::UsageError);
        CHECK_THROWS_AS(parse_day("2026-11-23x", "--from"), analytics::UsageError);
        CHECK_THROWS_AS(parse_day("yesterday", "--from"), analytics::UsageError);
        CHECK_THROWS_AS(parse_day("", "month"), analytics::UsageError);
    }
}
