// Local months and days in the configured zone, and partition names.

#include "utc_time.hpp"

#include <analytics/storage/calendar.hpp>
#include <analytics/storage/partitions.hpp>
#include <analytics/time/local_zone.hpp>

#include <doctest/doctest.h>

using namespace analytics;

TEST_CASE("local months begin at local midnight; days follow the zone") {
    const time::LocalZone paris("Europe/Paris");
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
