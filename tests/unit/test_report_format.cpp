#include <analytics/report/report.hpp>
#include <analytics/time/instant.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>

#include <doctest/doctest.h>

#include <ostream> // doctest stringifies std::string through it
#include <string>

using namespace analytics;

TEST_SUITE("report") {
    TEST_CASE("a period reads as its day, its span, or its month when whole") {
        const report::Period week{"2026-11-09", "2026-11-15", std::nullopt, 0};
        CHECK(report::period_label(week, "day") == "2026-11-09");
        CHECK(report::period_label(week, "week") == "2026-11-09 .. 2026-11-15");
        CHECK(report::period_label({"2026-11-01", "2026-11-30", 1, 1}, "month") == "2026-11");
        CHECK(report::period_label({"2026-11-01", "2026-11-22", 1, 1}, "month") ==
              "2026-11-01 .. 2026-11-22");
    }

    TEST_CASE("the change from the previous period") {
        CHECK(report::format_change(110, 100) == "+10.0%");
        CHECK(report::format_change(75, 100) == "-25.0%");
        CHECK(report::format_change(5, 0) == "new");
        CHECK(report::format_change(0, 0) == "±0%");
    }

    TEST_CASE("a measure reads as a count, a time in ms, or its placeholder") {
        const report::Column bytes{"bytes_sent", "bytes", "-"};
        const report::Column p95{"worst_daily_p95_ms", "p95 ms (worst day)", "-"};
        CHECK(report::format_measure(bytes, 1234567.0) == "1,234,567");
        CHECK(report::format_measure(p95, 85.04) == "85.0");
        CHECK(report::format_measure(p95, std::nullopt) == "-");
    }

    TEST_CASE("relative times are read the same by every command (time::parse_instant)") {
        const std::int64_t now =
            *time::parse_iso_time("2026-11-23T08:00:00Z", time::LocalZone("UTC"));
        CHECK(time::parse_instant("-7d", now, "UTC") == now - 7 * 86400LL * 1000000);
        CHECK(time::parse_instant("-12h", now, "UTC") == now - 12 * 3600LL * 1000000);
        CHECK(time::parse_instant("now", now, "UTC") == now);
        CHECK(time::format_iso_utc(time::parse_instant("2026-11-01", now, "Europe/Paris")) ==
              "2026-10-31T23:00:00Z");
        CHECK_THROWS_AS(time::parse_instant("-7x", now, "UTC"), UsageError);
        CHECK_THROWS_AS(time::parse_instant("2026-13-01", now, "UTC"), UsageError);
    }
}
