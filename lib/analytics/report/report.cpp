#include <analytics/db/session_impl.hpp>
#include <analytics/db/statements.hpp>
#include <analytics/enrich/user_agent.hpp>
#include <analytics/load/db_errors.hpp>
#include <analytics/report/report.hpp>
#include <analytics/storage/calendar.hpp>
#include <analytics/storage/rollup.hpp>
#include <analytics/time/civil_day.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>

#include <algorithm>
#include <cstdio>

namespace analytics::report {

namespace {

// One ranking: what it shows. Its rows come from sql/report/rankings.sql,
// which groups by the labels (one per column) under the same id.
struct RankingSpec {
    const char* id;
    const char* title;
    const char* unit;
    std::vector<std::string> columns;
    bool optional = false; // left out when it has no data
};

// In the report's order.
const std::vector<RankingSpec>& ranking_specs() {
    static const std::vector<RankingSpec> specs{
        {"layers", "Top layers", "OGC requests", {"layer", "service", "request"}},
        {"services", "Services and requests", "OGC requests", {"service", "request"}},
        {"workspaces", "Top workspaces", "OGC requests", {"workspace"}},
        {"organisations", "Organisations", "OGC requests", {"organisation"}},
        {"users", "Users", "OGC requests", {"user", "organisation"}},
        {"applications", "Applications", "OGC requests", {"application"}},
        {"user_agents", "User agents", "OGC requests", {"user agent", "kind"}},
        {"referrers", "Referrer domains", "OGC requests", {"referrer domain"}},
        {"status_codes", "Status codes", "requests", {"status"}},
        {"downloads", "Downloads by format", "OGC requests", {"format"}},
        {"searches", "Geoportal searches", "searches", {"client", "view"}, true},
        {"resources", "Geoportal resources", "events", {"resource", "event"}, true},
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
                                            const std::string& to) {
    std::vector<PrunedMonth> months;
    for (const auto& row :
         db::run(tx, db::statement("report/pruned_months"), {{"from", from}, {"to", to}})) {
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

} // namespace

std::string format_share(std::uint64_t part, std::uint64_t whole) {
    char text[16];
    std::snprintf(text, sizeof text, "%.1f%%",
                  whole == 0 ? 0.0
                             : 100.0 * static_cast<double>(part) / static_cast<double>(whole));
    return text;
}

Report build_report(db::Session& session, const ReportOptions& options) {
    Report report;
    report.top = options.top;
    report.timezone = session.timezone();
    report.schema = session.schema();
    report.generated_at = time::format_iso_utc(options.now_us - options.now_us % 1000000);
    const time::LocalZone zone(session.timezone());
    const std::int64_t yesterday = storage::local_day(zone, options.now_us) - 1;

    auto& conn = session.impl().connection;
    try {
        pqxx::read_transaction tx{conn};
        const auto bounds = db::run(tx, db::statement("report/bounds"), {})[0];
        if (!bounds[1].is_null()) {
            report.last_rolled_up_day = bounds[1].as<std::string>();
        }
        std::int64_t to = yesterday;
        if (!options.to.empty()) {
            to = time::parse_day(options.to, "--to");
        } else if (!report.last_rolled_up_day.empty()) {
            to = std::min(to, time::parse_day(report.last_rolled_up_day, "last day"));
        }
        // By default 30 days, but none before the first day rolled up: a
        // database filled last week shows a week, not three weeks of zeros.
        std::int64_t from = to - 29;
        if (!options.from.empty()) {
            from = time::parse_day(options.from, "--from");
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
        auto months = read_pruned_months(tx, report.requested_from, report.requested_to);
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

        for (const auto& row : db::run(tx, db::statement("report/days"), range)) {
            DayCount day;
            day.day = row[0].as<std::string>();
            if (std::any_of(report.pruned.begin(), report.pruned.end(), [&](const auto& part) {
                    return day.day >= part.from && day.day <= part.to;
                })) {
                continue; // counted per month
            }
            day.requests = row[1].as<std::uint64_t>();
            day.ogc_requests = row[2].as<std::uint64_t>();
            report.requests += day.requests;
            report.ogc_requests += day.ogc_requests;
            report.days.push_back(std::move(day));
        }
        report.searches =
            db::run(tx, db::statement("report/searches"), range)[0][0].as<std::uint64_t>();

        db::Arguments ranked = range;
        ranked["months"] = db::array_literal(month_starts);
        ranked["kept_from"] = db::array_literal(kept_from);
        ranked["kept_to"] = db::array_literal(kept_to);
        ranked["top"] = std::to_string(options.top);
        const auto rows = db::run(tx, db::statement("report/rankings"), ranked);
        for (const auto& spec : ranking_specs()) {
            Ranking ranking;
            ranking.id = spec.id;
            ranking.title = spec.title;
            ranking.unit = spec.unit;
            ranking.columns = spec.columns;
            for (const auto& row : rows) {
                if (ranking.id != row[0].c_str()) {
                    continue;
                }
                RankingRow out;
                for (std::size_t i = 0; i < spec.columns.size(); ++i) {
                    out.labels.push_back(row[static_cast<int>(i + 1)].as<std::string>());
                }
                out.count = row[4].as<std::uint64_t>();
                ranking.total = row[5].as<std::uint64_t>();
                ranking.distinct = row[6].as<std::uint64_t>();
                if (ranking.id == "user_agents") {
                    out.labels[1] = enrich::client_kind(out.labels[0]);
                }
                ranking.rows.push_back(std::move(out));
            }
            if (spec.optional && ranking.rows.empty()) {
                continue;
            }
            report.rankings.push_back(std::move(ranking));
        }
    } catch (const pqxx::failure&) {
        load::rethrow_database_error(conn, "reading the rollup tables", "nothing was written");
    }
    return report;
}

} // namespace analytics::report
