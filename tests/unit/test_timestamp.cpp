#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>

#include <doctest/doctest.h>

#include <ostream>
#include <string>
#include <vector>

using namespace analytics::time;

namespace {

std::string iso(std::optional<std::int64_t> us) {
    return us ? format_iso_utc(*us) : "(none)";
}

} // namespace

TEST_SUITE("timestamp") {
    TEST_CASE("CLF with offsets") {
        CHECK(iso(parse_clf_time("18/Oct/2023:17:36:10 +0000")) == "2023-10-18T17:36:10Z");
        CHECK(iso(parse_clf_time("10/Dec/2025:05:39:15 +0100")) == "2025-12-10T04:39:15Z");
        CHECK(iso(parse_clf_time("01/Jan/2024:00:30:00 -0230")) == "2024-01-01T03:00:00Z");
        CHECK(iso(parse_clf_time("29/Feb/2024:12:00:00 +0000")) == "2024-02-29T12:00:00Z");
        CHECK(iso(parse_clf_time("10/dec/2025:05:39:15.250 +0000")) ==
              "2025-12-10T05:39:15.250000Z");
    }

    TEST_CASE("CLF rejects") {
        for (const char* bad : {"", "29/Feb/2023:12:00:00 +0000", "32/Jan/2024:00:00:00 +0000",
                                "10/Foo/2025:05:39:15 +0100", "10/Dec/2025:25:39:15 +0100",
                                "10/Dec/2025:05:39:15 +0100 junk", "10/Dec/2025 05:39:15 +0100"}) {
            CAPTURE(bad);
            CHECK_FALSE(parse_clf_time(bad).has_value());
        }
    }

    TEST_CASE("CLF results do not depend on the lines read before (the day is remembered)") {
        // Each text alone, then all in one order and in the other: the
        // remembered day must never lend a date to a text that has none, nor
        // keep one a text only looks like.
        const std::vector<std::string> texts = {"10/Dec/2025:05:39:15 +0100",
                                                "10/Dec/2025:23:59:60 +0000",
                                                "10/Dec/2025:24:00:00 +0000",
                                                "10/Dec/2025:05:39",
                                                "10/Dec/2025:",
                                                "10/Dec/2025",
                                                "10/dec/2025:00:00:00 +0000",
                                                "29/Feb/2023:12:00:00 +0000",
                                                "28/Feb/2023:12:00:00 +0000",
                                                "29/Feb/2024:12:00:00 -1400",
                                                "31/Dec/9999:23:59:59 -0100",
                                                "01/Jan/0001:00:00:00 +0100",
                                                "10/Dec/2025:05:39:15.5 +0100"};
        std::vector<std::string> alone;
        for (const std::string& text : texts) {
            (void)parse_clf_time("01/Jan/2000:00:00:00 +0000"); // another day in between
            alone.push_back(iso(parse_clf_time(text)));
        }
        for (int pass = 0; pass < 2; ++pass) {
            for (std::size_t k = 0; k < texts.size(); ++k) {
                const std::size_t i = pass == 0 ? k : texts.size() - 1 - k;
                CAPTURE(texts[i]);
                CHECK(iso(parse_clf_time(texts[i])) == alone[i]);
                CHECK(iso(parse_clf_time(texts[i])) == alone[i]);
            }
        }
        CHECK(alone[0] == "2025-12-10T04:39:15Z");
        CHECK(alone[1] == "2025-12-11T00:00:00Z"); // a leap second, as the next one
        CHECK(alone[2] == "(none)");
        CHECK(alone[7] == "(none)");
        CHECK(alone[10] == "(none)"); // past year 9999 once the offset is applied
    }

    TEST_CASE("ISO results do not depend on the texts read before (the day is remembered)") {
        const LocalZone utc("UTC");
        const LocalZone paris("Europe/Paris");
        const std::vector<std::string> texts = {"2025-12-10T05:39:15+01:00",
                                                "2025-12-10",
                                                "2025-12-10T",
                                                "2025-12-10T24:00:00Z",
                                                "2025-12-10 05:39:15 UTC",
                                                "2025-12-1",
                                                "2025-12-1x",
                                                "2023-02-29T12:00:00Z",
                                                "2023-02-28T12:00:00Z",
                                                "2024-02-29T12:00:00.5-14:00",
                                                "9999-12-31T23:59:59-01:00",
                                                "0001-01-01T00:00:00+01:00",
                                                "2025-13-01T00:00:00Z",
                                                "2025-12-10T05:39:15"};
        for (const LocalZone* zone : {&utc, &paris}) {
            std::vector<std::string> alone;
            for (const std::string& text : texts) {
                (void)parse_iso_time("2000-01-01T00:00:00Z", *zone); // another day in between
                alone.push_back(iso(parse_iso_time(text, *zone)));
            }
            for (int pass = 0; pass < 2; ++pass) {
                for (std::size_t k = 0; k < texts.size(); ++k) {
                    const std::size_t i = pass == 0 ? k : texts.size() - 1 - k;
                    CAPTURE(texts[i]);
                    CHECK(iso(parse_iso_time(texts[i], *zone)) == alone[i]);
                    CHECK(iso(parse_iso_time(texts[i], *zone)) == alone[i]);
                }
            }
            CHECK(alone[0] == "2025-12-10T04:39:15Z");
            CHECK(alone[2] == "(none)");
            CHECK(alone[5] == "(none)");
            CHECK(alone[7] == "(none)");
            CHECK(alone[10] == "(none)"); // past year 9999 once the offset is applied
            CHECK(alone[12] == "(none)");
            CHECK(alone[13] == (zone == &utc ? "2025-12-10T05:39:15Z" : "2025-12-10T04:39:15Z"));
            CHECK(alone[1] == (zone == &utc ? "2025-12-10T00:00:00Z" : "2025-12-09T23:00:00Z"));
        }
    }

    TEST_CASE("ISO 8601 forms") {
        const LocalZone utc("UTC");
        CHECK(iso(parse_iso_time("2025-12-17T13:19:38.491768632Z", utc)) ==
              "2025-12-17T13:19:38.491768Z");
        CHECK(iso(parse_iso_time("2025-12-17T13:19:38Z", utc)) == "2025-12-17T13:19:38Z");
        CHECK(iso(parse_iso_time("2026-11-30T22:00:00-05:00", utc)) == "2026-12-01T03:00:00Z");
        CHECK(iso(parse_iso_time("2026-11-30T22:00:00+0530", utc)) == "2026-11-30T16:30:00Z");
        CHECK(iso(parse_iso_time("2026-04-23T17:42:10", utc)) == "2026-04-23T17:42:10Z");
        CHECK(iso(parse_iso_time("2026-04-23 17:42:10.5+00:00", utc)) ==
              "2026-04-23T17:42:10.500000Z");
        CHECK(iso(parse_iso_time("2026-04-23", utc)) == "2026-04-23T00:00:00Z");
        CHECK(iso(parse_iso_time("2026-04-23T17:42", utc)) == "2026-04-23T17:42:00Z");
        CHECK_FALSE(parse_iso_time("2026-13-01T00:00:00Z", utc));
        CHECK_FALSE(parse_iso_time("2026-04-23T17:42:10+25:00", utc));
        CHECK_FALSE(parse_iso_time("2026-04-23T17:42:10Zjunk", utc));
        CHECK_FALSE(parse_iso_time("not a date", utc));
        // An offset may not push a time past year 9999.
        CHECK_FALSE(parse_iso_time("9999-12-31T23:00:00-05:00", utc));
        CHECK(parse_iso_time("9999-12-31T23:00:00+05:00", utc).has_value());
    }

    TEST_CASE("naive timestamps are read in the configured zone, DST included") {
        const LocalZone paris("Europe/Paris");
        CHECK(iso(parse_iso_time("2026-01-15T12:00:00", paris)) == "2026-01-15T11:00:00Z");
        CHECK(iso(parse_iso_time("2026-07-15T12:00:00", paris)) == "2026-07-15T10:00:00Z");
        // 02:30 does not exist on 2026-03-29 in Paris: moved forward, never rejected.
        CHECK(parse_iso_time("2026-03-29T02:30:00", paris).has_value());
        // 02:30 happens twice on 2026-10-25: the first one.
        CHECK(iso(parse_iso_time("2026-10-25T02:30:00", paris)) == "2026-10-25T00:30:00Z");
        CHECK_THROWS_AS(LocalZone("Mars/Olympus"), analytics::ConfigError);
    }

    TEST_CASE("epoch numbers by magnitude") {
        CHECK(iso(parse_epoch_time("1765977578491768632")) == "2025-12-17T13:19:38.491768Z");
        CHECK(iso(parse_epoch_time("1765977578491768")) == "2025-12-17T13:19:38.491768Z");
        CHECK(iso(parse_epoch_time("1765977578491")) == "2025-12-17T13:19:38.491000Z");
        CHECK(iso(parse_epoch_time("1765977578")) == "2025-12-17T13:19:38Z");
        CHECK_FALSE(parse_epoch_time("12a"));
        CHECK_FALSE(parse_epoch_time("99999999999999999999"));
    }

    TEST_CASE("times at the ends of the day and of the range") {
        CHECK(format_iso_utc(0) == "1970-01-01T00:00:00Z");
        CHECK(format_iso_utc(-1) == "1969-12-31T23:59:59.999999Z");
        const LocalZone utc("UTC");
        CHECK(iso(parse_iso_time("0001-01-01T00:00:00Z", utc)) == "0001-01-01T00:00:00Z");
        CHECK(iso(parse_iso_time("9999-12-31T23:59:59.999999Z", utc)) ==
              "9999-12-31T23:59:59.999999Z");
        CHECK_FALSE(parse_iso_time("0001-01-01T00:00:00+01:00", utc));
        CHECK_FALSE(parse_iso_time("9999-12-31T23:00:00-01:00", utc));
    }
}
