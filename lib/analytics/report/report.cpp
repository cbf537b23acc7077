#include <analytics/db/session_impl.hpp>
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

// One ranking: its labels, where they come from, what is counted.
struct RankingSpec {
    const char* id;
    const char* title;
    const char* unit;
    std::vector<std::string> columns;
    std::vector<std::string> labels; // SQL expressions, one per column
    std::string source;              // FROM … WHERE …, with {ogc}, {api}, … as below
    std::string count;               // SQL aggregate
    bool optional = false;           // left out when it has no data
};

// "ws:layer": layers and workspaces are parallel lists when layers were
// qualified (ign:a,env:b → a,b / ign,env); one workspace (from the path)
// applies to every layer.
constexpr const char* layer_label =
    "CASE WHEN strpos(l.name, ':') > 0 THEN btrim(l.name) "
    "WHEN coalesce(btrim(l.ws), '') <> '' THEN btrim(l.ws) || ':' || btrim(l.name) "
    "WHEN coalesce(o.workspaces, '') <> '' AND strpos(o.workspaces, ',') = 0 "
    "THEN o.workspaces || ':' || btrim(l.name) ELSE btrim(l.name) END";

std::vector<RankingSpec> ranking_specs() {
    // {ogc}: the OGC rollup rows of the range, aliased o.
    const std::string ogc = "{ogc} o";
    return {
        {"layers",
         "Top layers",
         "OGC requests",
         {"layer", "service", "request"},
         {layer_label, "coalesce(o.service, '')", "coalesce(o.request, '')"},
         ogc + " CROSS JOIN LATERAL unnest(string_to_array(o.layers, ','), "
               "string_to_array(o.workspaces, ',')) AS l(name, ws) "
               "WHERE btrim(l.name) <> ''",
         "sum(o.nb_req)"},
        {"services",
         "Services and requests",
         "OGC requests",
         {"service", "request"},
         {"coalesce(o.service, '(none)')", "coalesce(o.request, '')"},
         ogc,
         "sum(o.nb_req)"},
        {"workspaces",
         "Top workspaces",
         "OGC requests",
         {"workspace"},
         {"w.name"},
         // A request naming two layers of one workspace counts once for it.
         ogc + " CROSS JOIN LATERAL (SELECT DISTINCT btrim(x) FROM "
               "unnest(string_to_array(o.workspaces, ',')) AS x) AS w(name) "
               "WHERE w.name <> ''",
         "sum(o.nb_req)"},
        {"organisations",
         "Organisations",
         "OGC requests",
         {"organisation"},
         {"coalesce(o.org_name, '(anonymous)')"},
         ogc,
         "sum(o.nb_req)"},
        {"users",
         "Users",
         "OGC requests",
         {"user", "organisation"},
         {"coalesce(o.user_name, '(no user name)')", "coalesce(o.org_name, '')"},
         ogc,
         "sum(o.nb_req)"},
        {"applications",
         "Applications",
         "OGC requests",
         {"application"},
         {"coalesce(o.app_name, '(none)')"},
         ogc,
         "sum(o.nb_req)"},
        {"user_agents",
         "User agents",
         "OGC requests",
         {"user agent", "kind"},
         {"coalesce(o.user_agent_family, 'Other')", "''"},
         ogc,
         "sum(o.nb_req)"},
        {"referrers",
         "Referrer domains",
         "OGC requests",
         {"referrer domain"},
         {"coalesce(lower(substring(o.referrer from '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)')), "
          "'(none)')"},
         ogc,
         "sum(o.nb_req)"},
        {"status_codes",
         "Status codes",
         "requests",
         {"status"},
         {"coalesce(a.status_code::text, '(none)')"},
         "{api} a",
         "sum(a.requests_count)"},
        {"downloads",
         "Downloads by format",
         "OGC requests",
         {"format"},
         {"coalesce(o.download_format, '(unknown)')"},
         ogc + " WHERE o.is_download = 'true'",
         "sum(o.nb_req)"},
        {"searches",
         "Geoportal searches",
         "searches",
         {"client", "view"},
         {"coalesce(s.client_name, '(unknown)')", "coalesce(s.view, '')"},
         "{search} s",
         "sum(s.searches_count)",
         true},
        {"resources",
         "Geoportal resources",
         "events",
         {"resource", "event"},
         {"r.resource_id", "r.event_type"},
         "{resource} r",
         "sum(r.event_count)",
         true},
    };
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
    std::string out;
    for (const auto& part : parts) {
        out += out.empty() ? "" : separator;
        out += part;
    }
    return out;
}

// The OGC columns the rankings read, from a daily or a monthly rollup.
constexpr const char* ogc_columns =
    "app_name, user_name, org_name, workspaces, layers, service, request, is_download, "
    "download_format, user_agent_family, referrer";

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
// rather than computed from retention.daily_rollups and now: maintain pruned
// with its own clock, the setting may have changed since, and a maintain not
// run yet has pruned nothing. ogc_summary_monthly is built from the same raw
// rows as ogc_summary_daily, so a month whose monthly requests exceed the sum
// of its daily ones has lost daily rows, and since pruning removes every day
// before a cutoff, the lost days are those before its first daily row (in any
// daily table); the difference is their OGC requests, exactly. (Pruned days
// without a single OGC request leave no trace: nothing to read there either.)
std::vector<PrunedMonth> read_pruned_months(pqxx::transaction_base& tx, db::Session& session,
                                            const std::string& from_day,
                                            const std::string& to_day) {
    const std::string daily = db::qualified(session, "ogc_summary_daily");
    auto first_in_month = [&session](const char* table) {
        return "(SELECT min(metric_date) FROM " + db::qualified(session, table) +
               " WHERE metric_date BETWEEN m.first AND m.last)";
    };
    std::vector<PrunedMonth> months;
    for (const auto& row : tx.exec(
             "SELECT m.first::text, m.last::text, m.n - coalesce(d.n, 0), least(d.first, " +
             first_in_month("daily_api_usage_metrics") + ", " +
             first_in_month("daily_search_metrics") + ", " +
             first_in_month("daily_resource_metrics") +
             ")::text FROM (SELECT bucket_monthly::date AS first, (bucket_monthly + interval '1 "
             "month')::date - 1 AS last, sum(nb_req) AS n FROM " +
             db::qualified(session, "ogc_summary_monthly") +
             " WHERE bucket_monthly >= date_trunc('month', " + from_day +
             "::timestamptz) AND bucket_monthly < (" + to_day +
             " + 1)::timestamptz GROUP BY 1, 2) m LEFT JOIN LATERAL (SELECT sum(nb_req) AS n, "
             "min(bucket_daily)::date AS first FROM " +
             daily +
             " WHERE bucket_daily >= m.first::timestamptz AND bucket_daily < (m.last + "
             "1)::timestamptz) d ON true WHERE m.n > coalesce(d.n, 0) ORDER BY 1")) {
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
        const std::string ogc_table = db::qualified(session, "ogc_summary_daily");
        const std::string api_table = db::qualified(session, "daily_api_usage_metrics");
        const std::string search_table = db::qualified(session, "daily_search_metrics");
        const std::string resource_table = db::qualified(session, "daily_resource_metrics");

        // The first and last day rolled up (min and max read the indexes).
        auto span = [](const std::string& table, const std::string& day) {
            return "SELECT min(" + day + ")::date AS first, max(" + day + ")::date AS last FROM " +
                   table;
        };
        // Months still rolled up when their days are not (daily rows pruned).
        const std::string monthly_table = db::qualified(session, "ogc_summary_monthly");
        const auto bounds = tx.exec(
            "SELECT min(first)::text, max(last)::text FROM (" + span(api_table, "metric_date") +
            " UNION ALL " + span(ogc_table, "bucket_daily") + " UNION ALL " +
            span(search_table, "metric_date") +
            " UNION ALL SELECT min(bucket_monthly)::date, (max(bucket_monthly) + interval '1 "
            "month')::date - 1 FROM " +
            monthly_table + ") s")[0];
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
        auto months = read_pruned_months(tx, session, tx.quote(report.requested_from) + "::date",
                                         tx.quote(report.requested_to) + "::date");
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
        const std::string from_day = tx.quote(report.from) + "::date";
        const std::string to_day = tx.quote(report.to) + "::date";
        auto local_days = [&tx](std::int64_t first, std::int64_t last) {
            return "bucket_daily >= " + tx.quote(storage::format_day(first)) +
                   "::date::timestamptz AND bucket_daily < " +
                   tx.quote(storage::format_day(last + 1)) + "::date::timestamptz";
        };

        // The rows of the range, per table: local days, bounds at local
        // midnight. OGC rows: the daily ones, and for pruned days their
        // months' monthly rows less every daily row those months still have
        // (inside the range or not: what is left is the pruned days), which
        // the rankings' sums take as negative counts.
        const std::string ogc_days = "SELECT " + std::string(ogc_columns) +
                                     ", nb_req, bucket_daily FROM " + ogc_table + " WHERE " +
                                     local_days(from, to);
        std::string ogc_rows = "(" + ogc_days;
        std::vector<std::string> month_starts;
        std::vector<std::string> kept_days;
        for (const auto& month : months) {
            month_starts.push_back(tx.quote(storage::format_day(month.first)) +
                                   "::date::timestamptz");
            if (month.partial()) {
                kept_days.push_back(local_days(month.last + 1, month.month_end));
            }
            MonthCount count;
            count.month = storage::format_day(month.first).substr(0, 7);
            count.from = storage::format_day(month.first);
            count.to = storage::format_day(month.last);
            count.ogc_requests = month.ogc_requests;
            report.ogc_requests += count.ogc_requests;
            report.months.push_back(std::move(count));
        }
        if (!month_starts.empty()) {
            ogc_rows += " UNION ALL SELECT " + std::string(ogc_columns) + ", nb_req, NULL FROM " +
                        monthly_table + " WHERE bucket_monthly IN (" + join(month_starts, ", ") +
                        ")";
        }
        if (!kept_days.empty()) {
            ogc_rows += " UNION ALL SELECT " + std::string(ogc_columns) + ", -nb_req, NULL FROM " +
                        ogc_table + " WHERE " + join(kept_days, " OR ");
        }
        ogc_rows += ")";
        auto dated = [&](const std::string& table) {
            return "(SELECT * FROM " + table + " WHERE metric_date BETWEEN " + from_day + " AND " +
                   to_day + ")";
        };
        const std::string api_rows = dated(api_table);

        for (const auto& row : tx.exec(
                 "SELECT d::date::text, coalesce(a.n, 0), coalesce(o.n, 0) FROM generate_series(" +
                 from_day + ", " + to_day +
                 ", interval '1 day') AS d LEFT JOIN (SELECT metric_date, sum(requests_count) AS "
                 "n FROM " +
                 api_rows +
                 " x GROUP BY 1) a ON a.metric_date = d::date LEFT JOIN (SELECT "
                 "bucket_daily::date AS day, sum(nb_req) AS n FROM (" +
                 ogc_days + ") x GROUP BY 1) o ON o.day = d::date ORDER BY 1")) {
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
        report.searches = tx.exec("SELECT coalesce(sum(searches_count), 0) FROM " +
                                  dated(search_table) + " s")[0][0]
                              .as<std::uint64_t>();

        for (const auto& spec : ranking_specs()) {
            std::string source = spec.source;
            replace_all(source, "{ogc}", ogc_rows);
            replace_all(source, "{api}", api_rows);
            replace_all(source, "{search}", dated(search_table));
            replace_all(source, "{resource}", dated(resource_table));
            std::vector<std::string> aliases;
            std::vector<std::string> positions;
            for (std::size_t i = 0; i < spec.labels.size(); ++i) {
                aliases.push_back(spec.labels[i] + " AS l" + std::to_string(i));
                positions.push_back(std::to_string(i + 1));
            }
            // Totals over every group (window functions run before LIMIT).
            const std::string sql = "SELECT *, sum(n) OVER (), count(*) OVER () FROM (SELECT " +
                                    join(aliases, ", ") + ", " + spec.count + " AS n FROM " +
                                    source + " GROUP BY " + join(positions, ", ") + " HAVING " +
                                    spec.count + " <> 0) g ORDER BY n DESC, " +
                                    join(positions, ", ") + " LIMIT " + std::to_string(options.top);
            Ranking ranking;
            ranking.id = spec.id;
            ranking.title = spec.title;
            ranking.unit = spec.unit;
            ranking.columns = spec.columns;
            const std::size_t k = spec.labels.size();
            for (const auto& row : tx.exec(sql)) {
                RankingRow out;
                for (std::size_t i = 0; i < k; ++i) {
                    out.labels.push_back(row[static_cast<int>(i)].as<std::string>());
                }
                out.count = row[static_cast<int>(k)].as<std::uint64_t>();
                ranking.total = row[static_cast<int>(k + 1)].as<std::uint64_t>();
                ranking.distinct = row[static_cast<int>(k + 2)].as<std::uint64_t>();
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
