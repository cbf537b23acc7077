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

// What the OGC figures are limited to (--app, --workspace, --service); empty:
// no limit. Requests that are not OGC requests have no such dimensions: a
// filtered report leaves them out and says so.
struct Filters {
    std::string app;       // app_name
    std::string workspace; // one of the request's workspaces
    std::string service;   // WMS, WFS, … (any case)

    bool any() const noexcept { return !app.empty() || !workspace.empty() || !service.empty(); }
};

struct ReportOptions {
    std::string title; // the configured title; empty: "Usage report"
    // Inclusive days as YYYY-MM-DD, or any time generate takes (now, -7d,
    // ISO 8601: time::parse_instant), read as its local day; empty from: 29
    // days before 'to', or the first day rolled up (daily or monthly).
    std::string from;
    std::string to; // empty: the last day rolled up (at most yesterday)
    Filters filters;
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

// One bar or line of the series over time: a day, a week (Monday to Sunday,
// cut by the range) or a month, by the range's length; months whose daily
// rows were pruned are always whole months.
struct Period {
    std::string from;
    std::string to;
    std::optional<std::uint64_t> requests; // unknown for pruned days, or filtered
    std::uint64_t ogc_requests = 0;
};

// The totals of the period of the same length just before the report's.
struct Previous {
    std::string from;
    std::string to;
    std::optional<std::uint64_t> requests; // unknown when filtered or pruned
    std::uint64_t ogc_requests = 0;
    std::optional<std::uint64_t> searches; // unknown when filtered
};

// A label column: its JSON field, its heading, and what a person reads where
// the value is missing (JSON has null there).
struct Column {
    std::string field;
    std::string heading;
    std::string missing;
};

struct RankingRow {
    std::vector<std::optional<std::string>> labels; // one per column, nullopt: missing
    std::uint64_t count = 0;
    std::vector<std::optional<double>> measures; // one per measure, nullopt: missing
};

// One "top N" table: label columns, then a count and its share of 'total',
// the total its heading names (all OGC requests of the range for an OGC
// ranking, even where a request counts once per layer).
struct Ranking {
    std::string id;    // layers, workspaces, … (JSON key, HTML anchor)
    std::string title; // "Top layers"
    std::string unit;  // "OGC requests", "requests", "events"
    std::vector<Column> columns;
    std::vector<Column> measures; // figures after the count (endpoints: 4xx, 5xx, bytes, p95)
    std::vector<RankingRow> rows;
    std::uint64_t total = 0;   // the named total: shares are of it
    std::uint64_t counted = 0; // the counts of every group (not only the top ones) added up
    std::uint64_t distinct = 0;

    // The text shown for label i of a row (its placeholder when missing).
    std::string label(const RankingRow& row, std::size_t i) const {
        return row.labels[i] ? *row.labels[i] : columns[i].missing;
    }
};

// Every request of the range from daily_access_summary (level total, or app
// with --app): days whose daily rows were pruned are not in it.
struct Traffic {
    std::uint64_t requests = 0;
    std::uint64_t visitors = 0;              // distinct visitors of each day, added up
    std::optional<std::uint64_t> bytes_sent; // nullopt: no request had a size
    std::uint64_t status_4xx = 0;
    std::uint64_t status_5xx = 0;
    std::uint64_t days = 0; // days with rows
};

struct Report {
    std::string title; // the configured title, or "Usage report"
    std::string from;  // the range reported: the requested one, widened to
    std::string to;    // whole monthly rows when it began or ended inside one
    std::string requested_from;
    std::string requested_to;
    std::string timezone;
    std::string schema;
    std::string generated_at;       // ISO 8601 UTC
    std::string last_rolled_up_day; // empty: nothing rolled up yet
    int top = 10;
    Filters filters;
    std::string granularity; // day, week or month: the periods' length
    std::vector<Period> periods;
    std::optional<Previous> previous; // nullopt: not comparable (pruned inside a month)
    std::uint64_t requests = 0;       // 0 and unknown when filtered (filters.any())
    std::uint64_t ogc_requests = 0;
    std::uint64_t searches = 0;
    std::uint64_t day_count = 0;    // days in the range, daily or monthly
    std::vector<DayCount> days;     // the days that still have daily rows
    std::vector<MonthCount> months; // the pruned days, per month
    std::vector<PrunedPart> pruned;
    std::vector<std::string> notes; // for people: pruned parts, a widened range
    std::vector<Ranking> rankings;
    std::optional<Traffic> traffic; // nullopt: filtered by workspace or service, or no rows

    bool empty() const noexcept { return requests == 0 && ogc_requests == 0 && searches == 0; }
};

// Throws UsageError for bad dates, DbUnavailable when the database goes away.
Report build_report(db::Session& session, const ReportOptions& options);

// "12.5%": part's share of whole, for the text and HTML forms.
std::string format_share(std::uint64_t part, std::uint64_t whole);

// "2026-11-09", "2026-11-09 .. 2026-11-15", "2026-11": a period as people read it.
std::string period_label(const Period& period, const std::string& granularity);

// "+12.5%" / "-3.0%" / "new": the change from before to now.
std::string format_change(std::uint64_t now, std::uint64_t before);

// A measure of a ranking row as people read it: "1,234", "85.0" for times
// in ms (fields ending in _ms), the column's placeholder when missing.
std::string format_measure(const Column& measure, const std::optional<double>& value);

std::string report_text(const Report& report);
std::string report_json(const Report& report);
std::string report_html(const Report& report); // one self-contained page

} // namespace analytics::report
