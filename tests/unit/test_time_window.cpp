#include "utc_time.hpp"

#include <analytics/config/config.hpp>
#include <analytics/ingest/time_window.hpp>

#include <doctest/doctest.h>

#include <ostream> // doctest stringifies std::string through it

using analytics::ingest::TimeWindow;

TEST_SUITE("ingest") {
    TEST_CASE("the accepted time window: ingest.earliest to now + ingest.max_future") {
        const auto config = analytics::config::defaults();
        const TimeWindow window(config, utc("2026-11-20T12:00:00Z"));
        CHECK(window.refuse(utc("2000-01-01T00:00:00Z")).empty());
        CHECK(window.refuse(utc("2026-11-21T12:00:00Z")).empty()); // exactly one day ahead
        CHECK(window.refuse(utc("1999-12-31T23:59:59Z")) ==
              "time outside the accepted window: 1999-12-31T23:59:59Z is before ingest.earliest "
              "2000-01-01");
        CHECK(window.refuse(utc("2026-11-21T12:00:01Z")) ==
              "time outside the accepted window: 2026-11-21T12:00:01Z is more than 86400 s "
              "(ingest.max_future) after now");
        CHECK_FALSE(window.refuse(utc("9999-12-31T10:00:00Z")).empty());
        CHECK_FALSE(window.refuse(utc("1900-01-01T10:00:00Z")).empty());
    }

    TEST_CASE("a configured window") {
        auto config = analytics::config::defaults();
        config.ingest.earliest = "1890-01-01";
        config.ingest.max_future_seconds = 0;
        const TimeWindow window(config, utc("2026-11-20T10:30:00Z"));
        CHECK(window.refuse(utc("1900-01-01T10:00:00Z")).empty());
        CHECK(window.refuse(utc("2026-11-20T10:30:00Z")).empty());
        CHECK_FALSE(window.refuse(utc("2026-11-20T10:30:01Z")).empty());
        CHECK_FALSE(window.refuse(utc("1889-12-31T23:00:00Z")).empty());
    }
}
