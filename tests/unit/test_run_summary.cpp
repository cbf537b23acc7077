// The one summary of ingest, process and reprocess: the shared counts and
// their text and JSON forms, byte for byte as the commands have written them.

#include <analytics/ingest/run_summary.hpp>

#include <doctest/doctest.h>

using namespace analytics::ingest;

TEST_CASE("rejects are counted by category, warnings by kind") {
    CHECK(reject_category("events[3]: invalid rank \"x\"") == "invalid rank");
    CHECK(reject_category("line longer than 16 MiB") == "line longer than 16 MiB");
    CHECK(warning_category("searches[0].per_page: 2.5 is not an integer; stored as NULL") ==
          "per_page: stored as NULL");
    RunSummary s;
    s.count_reject("events[3]: invalid rank \"x\"");
    s.count_reject("events[4]: invalid rank \"y\"", false); // the same beacon line
    CHECK(s.rejected == 2);
    CHECK(s.rejected_lines == 1);
    CHECK(s.rejects_by_reason == std::map<std::string, std::uint64_t>{{"invalid rank", 2}});
    // Ingest: a share of lines (1 of 4), however many rows each line holds.
    s.lines = 4;
    s.records = 60;
    CHECK(s.reject_ratio() == doctest::Approx(0.25));
    s.run = RunSummary::Run::process; // process: a share of rows (2 of 62)
    CHECK(s.reject_ratio() == doctest::Approx(2.0 / 62.0));
}

TEST_CASE("the ingest summary") {
    RunSummary s;
    s.inputs.push_back({"-", "combined", "", 3, 120, 2, 1});
    s.lines = 3;
    s.bytes = 120;
    s.records = 2;
    s.count_reject("bad line");
    s.warnings["invalid UTF-8 replaced by U+FFFD"] = 1500;
    s.seconds = 0.5;
    CHECK(s.to_json() ==
          R"({"inputs":[{"path":"-","format":"combined","lines":3,"bytes":120,"records":2,)"
          R"("rejected":1}],"lines":3,"blank_lines":0,"bytes":120,"records":2,"searches":0,)"
          R"("impressions":0,"events":0,"rejected":1,"set_aside":0,"set_aside_by_table":{},)"
          R"("rejects":{"bad line":1},"warnings":{"invalid UTF-8 replaced by U+FFFD":1500},)"
          R"("reject_ratio":0.333333,"seconds":0.500})");
    CHECK(s.to_text() == "ingest: 1 input, 3 lines, 2 records, 1 rejected (33.33%), 0.50 s, 6 "
                         "lines/s\n"
                         "  stdin: combined, 3 lines, 2 records, 1 rejected\n"
                         "  rejected: bad line: 1\n"
                         "  warning: invalid UTF-8 replaced by U+FFFD: 1,500\n");
    s.loaded = true;
    s.stored = 2;
    s.expiring.push_back({"access_logs", 2, 90});
    const std::string json = s.to_json();
    CHECK(json.find(R"("rejected":1,"stored":2,"duplicates":0,"skipped_lines":0,)"
                    R"("partitions_created":0,"dirty_days":0,"batches":0,)"
                    R"("expiring":{"access_logs":{"rows":2,"retention_days":90}},"set_aside":0)") !=
          std::string::npos);
}

TEST_CASE("the process summary") {
    RunSummary s;
    s.run = RunSummary::Run::process;
    s.rows = 1200;
    s.records = 1199;
    s.stored = 1199;
    s.count_reject("no log record in the row");
    s.warnings["w"] = 1234;
    s.batches = 2;
    CHECK(s.to_json() == R"({"dry_run":false,"rows":1200,"records":1199,"stored":1199,)"
                         R"("duplicates":0,"rejected":1,"set_aside":0,"batches":2,)"
                         R"("partitions_created":0,"dirty_days":0,)"
                         R"("rejects":{"no log record in the row":1},"warnings":{"w":1234},)"
                         R"("seconds":0.000})");
    CHECK(s.to_text() == "process: 1,200 buffer rows, 1,199 records, 1,199 stored, 0 duplicates, "
                         "1 rejected, 0.00 s\n"
                         "  2 batches, 0 partitions created, 0 days marked for rollup\n"
                         "  rejected: no log record in the row: 1\n"
                         "  warning: w: 1234\n");
    s.dry_run = true;
    CHECK(s.to_text().rfind("process (dry run): 1,200 buffer rows, 1,199 records, 1 rejected", 0) ==
          0);
}

TEST_CASE("the reprocess summary") {
    RunSummary s;
    s.run = RunSummary::Run::reprocess;
    s.dry_run = true;
    s.days = 3;
    s.rows = 4000;
    s.changed = 10;
    s.seconds = 1.25;
    CHECK(s.to_json() == R"({"dry_run":true,"days":3,"rows":4000,"changed":10,"dirty_days":0,)"
                         R"("warnings":{},"seconds":1.250})");
    CHECK(s.to_text() ==
          "reprocess (dry run): 3 days, 4,000 rows, 10 would change, 0 days marked for rollup, "
          "1.25 s\n");
}
