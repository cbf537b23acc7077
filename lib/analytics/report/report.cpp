#include <analytics/db/session_impl.hpp>
#include <analytics/enrich/user_agent.hpp>
#include <analytics/load/db_errors.hpp>
#include <analytics/parse/timestamp.hpp>
#include <analytics/report/report.hpp>
#include <analytics/storage/calendar.hpp>
#include <analytics/storage/rollup.hpp>
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
    report.generated_at = parse::format_iso_utc(options.now_us - options.now_us % 1000000);
    const parse::LocalZone zone(session.timezone());
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
        const auto bounds = tx.exec("SELECT min(first)::text, max(last)::text FROM (" +
                                    span(api_table, "metric_date") + " UNION ALL " +
                                    span(ogc_table, "bucket_daily") + " UNION ALL " +
                                    span(search_table, "metric_date") + ") s")[0];
        if (!bounds[1].is_null()) {
            report.last_rolled_up_day = bounds[1].as<std::string>();
        }
        std::int64_t to = yesterday;
        if (!options.to.empty()) {
            to = storage::parse_date(options.to, "--to");
        } else if (!report.last_rolled_up_day.empty()) {
            to = std::min(to, storage::parse_date(report.last_rolled_up_day, "last day"));
        }
        // By default 30 days, but none before the first day rolled up: a
        // database filled last week shows a week, not three weeks of zeros.
        std::int64_t from = to - 29;
        if (!options.from.empty()) {
            from = storage::parse_date(options.from, "--from");
        } else if (!bounds[0].is_null()) {
            const std::int64_t first = storage::parse_date(bounds[0].c_str(), "first day");
            from = first <= to ? std::max(from, first) : from;
        }
        if (from > to) {
            throw UsageError("--from " + storage::format_day(from) + " is after --to " +
                             storage::format_day(to));
        }
        if (to - from > 3660) {
            throw UsageError("a report covers at most ten years");
        }
        report.from = storage::format_day(from);
        report.to = storage::format_day(to);
        const std::string from_day = tx.quote(report.from) + "::date";
        const std::string to_day = tx.quote(report.to) + "::date";

        // The rows of the range, per table: local days, bounds at local midnight.
        const std::string ogc_rows =
            "(SELECT * FROM " + ogc_table + " WHERE bucket_daily >= " + from_day +
            "::timestamptz AND bucket_daily < (" + to_day + " + 1)::timestamptz)";
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
                 "bucket_daily::date AS day, sum(nb_req) AS n FROM " +
                 ogc_rows + " x GROUP BY 1) o ON o.day = d::date ORDER BY 1")) {
            DayCount day;
            day.day = row[0].as<std::string>();
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
                                    source + " GROUP BY " + join(positions, ", ") +
                                    ") g ORDER BY n DESC, " + join(positions, ", ") + " LIMIT " +
                                    std::to_string(options.top);
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
