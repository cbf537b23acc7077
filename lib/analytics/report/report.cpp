#include <analytics/db/session_impl.hpp>
#include <analytics/db/statements.hpp>
#include <analytics/enrich/user_agent.hpp>
#include <analytics/load/db_errors.hpp>
#include <analytics/report/report.hpp>
#include <analytics/storage/calendar.hpp>
#include <analytics/storage/rollup.hpp>
#include <analytics/time/civil_day.hpp>
#include <analytics/time/instant.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>

#include <algorithm>
#include <cstdio>

namespace analytics::report {

namespace {

// One ranking: what it shows. Its rows come from sql/report/rankings.sql,
// which groups by the labels (one per column) under the same id: a new card
// is a line here and its part of that statement; the text, JSON and HTML
// forms show every ranking of this list.
struct RankingSpec {
    const char* id;
    const char* title;
    const char* unit;
    std::vector<Column> columns;
    bool ogc = true;       // over OGC rollup rows: kept by the filters
    bool optional = false; // left out when it has no data
    bool by_app = false;   // over rows with an application: kept by --app alone
    std::vector<Column> measures{};
};

// In the report's order.
const std::vector<RankingSpec>& ranking_specs() {
    static const std::vector<RankingSpec> specs{
        {"layers",
         "Top layers",
         "OGC requests",
         {{"layer", "layer", "(none)"},
          {"service", "service", "(none)"},
          {"request", "request", "(none)"}}},
        {"services",
         "Services and requests",
         "OGC requests",
         {{"service", "service", "(none)"}, {"request", "request", "(none)"}}},
        {"workspaces", "Top workspaces", "OGC requests", {{"workspace", "workspace", "(none)"}}},
        {"organisations",
         "Organisations",
         "OGC requests",
         {{"organisation", "organisation", "(anonymous)"}}},
        {"users",
         "Users",
         "OGC requests",
         {{"user", "user", "(no user name)"}, {"organisation", "organisation", ""}}},
        {"applications",
         "Applications",
         "OGC requests",
         {{"application", "application", "(none)"}}},
        {"user_agents",
         "User agents",
         "OGC requests",
         {{"user_agent", "user agent", "(no user agent)"}, {"kind", "kind", ""}}},
        {"referrers",
         "Referrer domains",
         "OGC requests",
         {{"referrer_domain", "referrer domain", "(none)"}}},
        {"status_codes", "Status codes", "requests", {{"status", "status", "(none)"}}, false},
        {"not_found",
         "Not found (404)",
         "404 responses",
         {{"endpoint", "endpoint", "(none)"}},
         false,
         true},
        {"downloads", "Downloads by format", "OGC requests", {{"format", "format", "(unknown)"}}},
        {"searches",
         "Geoportal searches",
         "searches",
         {{"client", "client", "(unknown)"}, {"view", "view", ""}},
         false,
         true},
        {"resources",
         "Geoportal resources",
         "events",
         {{"resource", "resource", ""}, {"event", "event", ""}},
         false,
         true},
        {"endpoints",
         "Top endpoints",
         "requests",
         {{"endpoint", "endpoint", "(none)"}, {"app", "app", "(none)"}},
         false,
         true,
         true,
         {{"status_4xx", "4xx", "-"},
          {"status_5xx", "5xx", "-"},
          {"bytes_sent", "bytes", "-"},
          {"worst_daily_p95_ms", "p95 ms (worst day)", "-"}}},
        {"countries",
         "Countries",
         "requests with a country",
         {{"country", "country", ""}},
         false,
         true,
         true,
         {{"visitors", "visitors (per day, added up)", "-"}}},
        {"hours", "Requests per hour of day", "requests", {{"hour", "hour", ""}}, false, true},
    };
    return specs;
}

// Days whose daily rollups are gone but whose month is still in
// ogc_summary_monthly (read_pruned_months).
struct PrunedMonth {
    std::int64_t first = 0;     // the month's first day
    std::int64_t last = 0;      // the last pruned day
    std::int64_t month_end = 0; // the month's last day
    std::uint64_t ogc_requests = 0;

    bool partial() const noexcept { return last < month_end; }
};

// Which days have lost their daily rows, read from the rows themselves
// (sql/report/pruned_months.sql) rather than computed from
// retention.daily_rollups and now: maintain pruned with its own clock, the
// setting may have changed since, and a maintain not run yet has pruned
// nothing. The OGC requests of the lost days are exact. (Pruned days without
// a single OGC request leave no trace: nothing to read there either.)
std::vector<PrunedMonth> read_pruned_months(pqxx::transaction_base& tx, const std::string& from,
                                            const std::string& to, const db::Arguments& filters) {
    std::vector<PrunedMonth> months;
    db::Arguments arguments = filters;
    arguments["from"] = from;
    arguments["to"] = to;
    for (const auto& row : db::run(tx, db::statement("report/pruned_months"), arguments)) {
        PrunedMonth month;
        month.first = time::parse_day(row[0].as<std::string>(), "month");
        month.month_end = time::parse_day(row[1].as<std::string>(), "month end");
        month.last = row[3].is_null() ? month.month_end
                                      : time::parse_day(row[3].as<std::string>(), "first day") - 1;
        month.ogc_requests = row[2].as<std::uint64_t>();
        if (month.last >= month.first) { // else a hole elsewhere: not a pruned prefix
            months.push_back(month);
        }
    }
    return months;
}

bool month_start(std::int64_t day) {
    int year = 0;
    unsigned month = 0, dom = 0;
    time::civil_from_days(day, year, month, dom);
    return dom == 1;
}

// "2024-10", "2024-01 .. 2024-10", or days when not whole months.
std::string span_label(std::int64_t first, std::int64_t last) {
    const std::string a = storage::format_day(first);
    const std::string b = storage::format_day(last);
    if (!month_start(first) || !month_start(last + 1)) {
        return a + " .. " + b;
    }
    return a.substr(0, 7) == b.substr(0, 7) ? a.substr(0, 7)
                                            : a.substr(0, 7) + " .. " + b.substr(0, 7);
}

// One part per run of consecutive pruned days, with the sentence saying so.
std::vector<PrunedPart> pruned_parts(const std::vector<PrunedMonth>& months,
                                     const std::optional<int>& retention_days) {
    const std::string why = retention_days ? "daily rows pruned after retention.daily_rollups (" +
                                                 std::to_string(*retention_days) + " days)"
                                           : std::string("daily rows pruned by an earlier "
                                                         "retention.daily_rollups");
    std::vector<PrunedPart> parts;
    std::int64_t first = 0;
    for (std::size_t i = 0; i < months.size(); ++i) {
        if (i == 0 || months[i].first != months[i - 1].last + 1) {
            first = months[i].first;
        }
        if (i + 1 < months.size() && months[i + 1].first == months[i].last + 1) {
            continue;
        }
        parts.push_back({storage::format_day(first), storage::format_day(months[i].last),
                         span_label(first, months[i].last) + ": " + why +
                             "; figures from the monthly rollups (OGC requests only): OGC "
                             "requests per month, not per day; other requests, status codes, "
                             "searches and resources not available"});
    }
    return parts;
}

db::Arguments filter_arguments(const Filters& filters) {
    return {{"app", filters.app}, {"workspace", filters.workspace}, {"service", filters.service}};
}

// --from / --to: a day (YYYY-MM-DD), or a time as generate takes it (-7d,
// now, ISO 8601), read as its local day.
std::int64_t resolve_day(const std::string& text, const char* option, const time::LocalZone& zone,
                         const std::string& timezone, std::int64_t now_us) {
    if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
        return time::parse_day(text, option);
    }
    try {
        return storage::local_day(zone, time::parse_instant(text, now_us, timezone));
    } catch (const UsageError& e) {
        throw UsageError(std::string(option) + ": " + e.what());
    }
}

bool is_pruned(const std::vector<PrunedMonth>& months, std::int64_t day) {
    return std::any_of(months.begin(), months.end(),
                       [day](const PrunedMonth& m) { return day >= m.first && day <= m.last; });
}

// The daily rows of [from, to] outside the pruned months, and their sums.
struct DayTotals {
    std::vector<DayCount> days;
    std::uint64_t requests = 0;
    std::uint64_t ogc_requests = 0;
};

DayTotals read_days(pqxx::transaction_base& tx, std::int64_t from, std::int64_t to,
                    const std::vector<PrunedMonth>& months, const db::Arguments& filters) {
    DayTotals totals;
    db::Arguments arguments = filters;
    arguments["from"] = storage::format_day(from);
    arguments["to"] = storage::format_day(to);
    for (const auto& row : db::run(tx, db::statement("report/days"), arguments)) {
        DayCount day;
        day.day = row[0].as<std::string>();
        if (is_pruned(months, time::parse_day(day.day, "day"))) {
            continue; // counted per month
        }
        day.requests = row[1].as<std::uint64_t>();
        day.ogc_requests = row[2].as<std::uint64_t>();
        totals.requests += day.requests;
        totals.ogc_requests += day.ogc_requests;
        totals.days.push_back(std::move(day));
    }
    return totals;
}

// Nullopt when no day of the range has rows.
std::optional<Traffic> read_traffic(pqxx::transaction_base& tx, std::int64_t from, std::int64_t to,
                                    const std::string& app) {
    const auto row = db::run(
        tx, db::statement("report/traffic"),
        {{"from", storage::format_day(from)}, {"to", storage::format_day(to)}, {"app", app}})[0];
    Traffic traffic;
    traffic.requests = row[0].as<std::uint64_t>();
    traffic.visitors = row[1].as<std::uint64_t>();
    if (!row[2].is_null()) {
        traffic.bytes_sent = row[2].as<std::uint64_t>();
    }
    traffic.status_4xx = row[3].as<std::uint64_t>();
    traffic.status_5xx = row[4].as<std::uint64_t>();
    traffic.days = row[5].as<std::uint64_t>();
    if (traffic.days == 0) {
        return std::nullopt;
    }
    return traffic;
}

std::uint64_t read_searches(pqxx::transaction_base& tx, std::int64_t from, std::int64_t to) {
    return db::run(tx, db::statement("report/searches"),
                   {{"from", storage::format_day(from)}, {"to", storage::format_day(to)}})[0][0]
        .as<std::uint64_t>();
}

// Day up to two months, week up to two years, month beyond: a range shows
// at most about a hundred bars.
const char* granularity_of(std::int64_t days) {
    return days <= 62 ? "day" : days <= 731 ? "week" : "month";
}

// The first day of the day's period.
std::int64_t period_start(std::int64_t day, const std::string& granularity) {
    if (granularity == "week") {
        return day - ((day % 7 + 7 + 3) % 7); // 1970-01-01 was a Thursday
    }
    if (granularity == "month") {
        int year = 0;
        unsigned month = 0, dom = 0;
        time::civil_from_days(day, year, month, dom);
        return time::days_from_civil(year, month, 1);
    }
    return day;
}

// The last day of the day's period.
std::int64_t period_end(std::int64_t day, const std::string& granularity) {
    if (granularity == "week") {
        return period_start(day, granularity) + 6;
    }
    if (granularity == "month") {
        int year = 0;
        unsigned month = 0, dom = 0;
        time::civil_from_days(day, year, month, dom);
        return month == 12 ? time::days_from_civil(year + 1, 1, 1) - 1
                           : time::days_from_civil(year, month + 1, 1) - 1;
    }
    return day;
}

// The daily rows grouped by the granularity, each period cut by the range.
std::vector<Period> periods_of(const std::vector<DayCount>& days, const std::string& granularity,
                               std::int64_t from, std::int64_t to, bool requests_known) {
    std::vector<Period> periods;
    std::int64_t current = 0;
    for (const auto& d : days) {
        const std::int64_t day = time::parse_day(d.day, "day");
        const std::int64_t start = std::max(from, period_start(day, granularity));
        if (periods.empty() || start != current) {
            current = start;
            Period period;
            period.from = storage::format_day(start);
            period.to = storage::format_day(std::min(to, period_end(day, granularity)));
            if (requests_known) {
                period.requests = 0;
            }
            periods.push_back(std::move(period));
        }
        if (requests_known) {
            *periods.back().requests += d.requests;
        }
        periods.back().ogc_requests += d.ogc_requests;
    }
    return periods;
}

} // namespace

std::string format_change(std::uint64_t now, std::uint64_t before) {
    if (before == 0) {
        return now == 0 ? "±0%" : "new";
    }
    char text[24];
    const double change = 100.0 * (static_cast<double>(now) - static_cast<double>(before)) /
                          static_cast<double>(before);
    std::snprintf(text, sizeof text, "%+.1f%%", change);
    return text;
}

std::string format_share(std::uint64_t part, std::uint64_t whole) {
    char text[16];
    std::snprintf(text, sizeof text, "%.1f%%",
                  whole == 0 ? 0.0
                             : 100.0 * static_cast<double>(part) / static_cast<double>(whole));
    return text;
}

Report build_report(db::Session& session, const ReportOptions& options) {
    Report report;
    report.title = options.title.empty() ? "Usage report" : options.title;
    report.top = options.top;
    report.filters = options.filters;
    report.timezone = session.timezone();
    report.schema = session.schema();
    report.generated_at = time::format_iso_utc(options.now_us - options.now_us % 1000000);
    const time::LocalZone zone(session.timezone());
    const std::int64_t yesterday = storage::local_day(zone, options.now_us) - 1;
    const bool filtered = options.filters.any();
    const db::Arguments filters = filter_arguments(options.filters);

    auto& conn = session.impl().connection;
    try {
        pqxx::read_transaction tx{conn};
        const auto bounds = db::run(tx, db::statement("report/bounds"), {})[0];
        if (!bounds[1].is_null()) {
            report.last_rolled_up_day = bounds[1].as<std::string>();
        }
        std::int64_t to = yesterday;
        if (!options.to.empty()) {
            to = resolve_day(options.to, "--to", zone, report.timezone, options.now_us);
        } else if (!report.last_rolled_up_day.empty()) {
            to = std::min(to, time::parse_day(report.last_rolled_up_day, "last day"));
        }
        // By default 30 days, but none before the first day rolled up: a
        // database filled last week shows a week, not three weeks of zeros.
        std::int64_t from = to - 29;
        if (!options.from.empty()) {
            from = resolve_day(options.from, "--from", zone, report.timezone, options.now_us);
        } else if (!bounds[0].is_null()) {
            const std::int64_t first = time::parse_day(bounds[0].c_str(), "first day");
            from = first <= to ? std::max(from, first) : from;
        }
        if (from > to) {
            throw UsageError("--from " + storage::format_day(from) + " is after --to " +
                             storage::format_day(to));
        }
        if (to - from > 3660) {
            throw UsageError("a report covers at most ten years");
        }
        report.requested_from = storage::format_day(from);
        report.requested_to = storage::format_day(to);

        // A monthly row cannot be split into days: a range beginning or
        // ending inside a month's pruned days is widened to all of them.
        auto months = read_pruned_months(tx, report.requested_from, report.requested_to, filters);
        for (const auto& month : months) {
            from = from > month.first && from <= month.last ? month.first : from;
            to = to >= month.first && to < month.last ? month.last : to;
        }
        months.erase(
            std::remove_if(months.begin(), months.end(),
                           [&](const PrunedMonth& m) { return m.first < from || m.last > to; }),
            months.end());
        report.from = storage::format_day(from);
        report.to = storage::format_day(to);
        report.day_count = static_cast<std::uint64_t>(to - from + 1);
        if (report.from != report.requested_from || report.to != report.requested_to) {
            report.notes.push_back("Range widened from " + report.requested_from + " .. " +
                                   report.requested_to + " to " + report.from + " .. " + report.to +
                                   ": a monthly rollup cannot be split into days");
        }
        if (filtered) {
            report.notes.push_back(
                "Only the OGC requests of" +
                (options.filters.app.empty() ? "" : " application " + options.filters.app) +
                (options.filters.workspace.empty() ? ""
                                                   : " workspace " + options.filters.workspace) +
                (options.filters.service.empty() ? "" : " service " + options.filters.service) +
                ": other requests, status codes, geoportal searches and resources have no such "
                "dimension and are left out");
        }
        report.pruned = pruned_parts(months, options.daily_rollups_days);
        for (const auto& part : report.pruned) {
            report.notes.push_back(part.note);
        }
        const db::Arguments range{{"from", report.from}, {"to", report.to}};

        // The rows of the range, per table: local days, bounds at local
        // midnight. OGC rows: the daily ones, and for pruned days their
        // months' monthly rows less every daily row those months still have
        // (inside the range or not: what is left is the pruned days), which
        // the rankings' sums take as negative counts.
        std::vector<std::string> month_starts;
        std::vector<std::string> kept_from;
        std::vector<std::string> kept_to;
        for (const auto& month : months) {
            month_starts.push_back(storage::format_day(month.first));
            if (month.partial()) {
                kept_from.push_back(storage::format_day(month.last + 1));
                kept_to.push_back(storage::format_day(month.month_end));
            }
            MonthCount count;
            count.month = storage::format_day(month.first).substr(0, 7);
            count.from = storage::format_day(month.first);
            count.to = storage::format_day(month.last);
            count.ogc_requests = month.ogc_requests;
            report.ogc_requests += count.ogc_requests;
            report.months.push_back(std::move(count));
        }

        auto days = read_days(tx, from, to, months, filters);
        report.ogc_requests += days.ogc_requests;
        report.requests = filtered ? 0 : days.requests;
        report.days = std::move(days.days);
        report.granularity = granularity_of(to - from + 1);
        report.periods = periods_of(report.days, report.granularity, from, to, !filtered);
        report.searches = filtered ? 0 : read_searches(tx, from, to);
        const bool app_only = options.filters.workspace.empty() && options.filters.service.empty();
        if (app_only) {
            report.traffic = read_traffic(tx, from, to, options.filters.app);
        }

        // The period of the same length just before, when its days can be
        // told apart (no pruned month cut by it).
        const std::int64_t length = to - from + 1;
        const auto before = read_pruned_months(tx, storage::format_day(from - length),
                                               storage::format_day(from - 1), filters);
        const bool cut = std::any_of(before.begin(), before.end(), [&](const PrunedMonth& m) {
            return (from - length > m.first && from - length <= m.last) ||
                   (from - 1 >= m.first && from - 1 < m.last);
        });
        if (!cut) {
            Previous previous;
            previous.from = storage::format_day(from - length);
            previous.to = storage::format_day(from - 1);
            const auto previous_days = read_days(tx, from - length, from - 1, before, filters);
            previous.ogc_requests = previous_days.ogc_requests;
            for (const auto& m : before) {
                previous.ogc_requests += m.ogc_requests;
            }
            if (!filtered && before.empty()) {
                previous.requests = previous_days.requests;
            }
            if (!filtered) {
                previous.searches = read_searches(tx, from - length, from - 1);
            }
            report.previous = std::move(previous);
        }

        db::Arguments ranked = range;
        ranked.insert(filters.begin(), filters.end());
        ranked["months"] = db::array_literal(month_starts);
        ranked["kept_from"] = db::array_literal(kept_from);
        ranked["kept_to"] = db::array_literal(kept_to);
        ranked["top"] = std::to_string(options.top);
        const auto rows = db::run(tx, db::statement("report/rankings"), ranked);
        for (const auto& spec : ranking_specs()) {
            if (filtered && !spec.ogc && !(spec.by_app && app_only)) {
                continue;
            }
            Ranking ranking;
            ranking.id = spec.id;
            ranking.title = spec.title;
            ranking.unit = spec.unit;
            ranking.columns = spec.columns;
            ranking.measures = spec.measures;
            for (const auto& row : rows) {
                if (ranking.id != row[0].c_str()) {
                    continue;
                }
                RankingRow out;
                for (std::size_t i = 0; i < spec.columns.size(); ++i) {
                    const auto field = row[static_cast<int>(i + 1)];
                    out.labels.push_back(field.is_null() ? std::nullopt
                                                         : std::optional(field.as<std::string>()));
                }
                out.count = row[4].as<std::uint64_t>();
                for (std::size_t i = 0; i < spec.measures.size(); ++i) {
                    const auto field = row[static_cast<int>(i + 7)];
                    out.measures.push_back(field.is_null() ? std::nullopt
                                                           : std::optional(field.as<double>()));
                }
                ranking.counted = row[5].as<std::uint64_t>();
                ranking.distinct = row[6].as<std::uint64_t>();
                if (ranking.id == "user_agents") {
                    out.labels[1] = enrich::client_kind(out.labels[0].value_or("Other"));
                }
                ranking.rows.push_back(std::move(out));
            }
            if (spec.optional && ranking.counted == 0) { // no rows, or hours all zero
                continue;
            }
            // Shares are of the total the heading names.
            // The access summary's rankings (optional) count every request of
            // their own rows (--app, pruned days).
            ranking.total = ranking.unit == std::string("OGC requests") ? report.ogc_requests
                            : ranking.unit == std::string("requests") && !spec.optional
                                ? report.requests
                                : ranking.counted;
            report.rankings.push_back(std::move(ranking));
        }
    } catch (const pqxx::failure&) {
        load::rethrow_database_error(conn, "reading the rollup tables", "nothing was written");
    }
    return report;
}

} // namespace analytics::report
