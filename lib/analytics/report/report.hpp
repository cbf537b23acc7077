#pragma once

// analytics report: who used which layers and services, read from the
// rollup tables (never the raw rows, so a year is as quick as a day), as
// terminal tables, JSON or a self-contained HTML page with charts.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace analytics::db {
class Session;
}

namespace analytics::report {

struct ReportOptions {
    // YYYY-MM-DD, inclusive; empty: 29 days before 'to', or the first day
    // rolled up (daily or monthly).
    std::string from;
    std::string to; // empty: the last day rolled up (at most yesterday)
    int top = 10;
    std::int64_t now_us = 0;
    std::optional<int> daily_rollups_days = 730; // retention.daily_rollups, named in notes
};

struct DayCount {
    std::string day;
    std::uint64_t requests = 0;     // every request (daily_api_usage_metrics)
    std::uint64_t ogc_requests = 0; // OGC requests (ogc_summary_daily)
};

// Days of the range whose daily rollups were pruned (retention.daily_rollups)
// while their month's ogc_summary_monthly rows remain: only their OGC
// requests are known, per month.
struct MonthCount {
    std::string month; // 2024-10
    std::string from;  // its first day
    std::string to;    // its last day, or the day before its daily rows begin
    std::uint64_t ogc_requests = 0;
};

// A run of such days, and the sentence saying where its figures come from.
struct PrunedPart {
    std::string from;
    std::string to;
    std::string note;
};

struct RankingRow {
    std::vector<std::string> labels;
    std::uint64_t count = 0;
};

// One "top N" table: label columns, then a count and its share of 'total'.
struct Ranking {
    std::string id;    // layers, workspaces, … (JSON key, HTML anchor)
    std::string title; // "Top layers"
    std::string unit;  // "OGC requests", "requests", "events"
    std::vector<std::string> columns;
    std::vector<RankingRow> rows;
    std::uint64_t total = 0; // over every row, not only the top ones
    std::uint64_t distinct = 0;
};

struct Report {
    std::string from; // the range reported: the requested one, widened to
    std::string to;   // whole monthly rows when it began or ended inside one
    std::string requested_from;
    std::string requested_to;
    std::string timezone;
    std::string schema;
    std::string generated_at;       // ISO 8601 UTC
    std::string last_rolled_up_day; // empty: nothing rolled up yet
    int top = 10;
    std::uint64_t requests = 0;
    std::uint64_t ogc_requests = 0;
    std::uint64_t searches = 0;
    std::uint64_t day_count = 0;    // days in the range, daily or monthly
    std::vector<DayCount> days;     // the days that still have daily rows
    std::vector<MonthCount> months; // the pruned days, per month
    std::vector<PrunedPart> pruned;
    std::vector<std::string> notes; // for people: pruned parts, a widened range
    std::vector<Ranking> rankings;

    bool empty() const noexcept { return requests == 0 && ogc_requests == 0 && searches == 0; }
};

// Throws UsageError for bad dates, DbUnavailable when the database goes away.
Report build_report(db::Session& session, const ReportOptions& options);

// "12.5%": part's share of whole, for the text and HTML forms.
std::string format_share(std::uint64_t part, std::uint64_t whole);

std::string report_text(const Report& report);
std::string report_json(const Report& report);
std::string report_html(const Report& report); // one self-contained page

} // namespace analytics::report
