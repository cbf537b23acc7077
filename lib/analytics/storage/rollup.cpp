#include <analytics/db/session_impl.hpp>
#include <analytics/parse/timestamp.hpp>
#include <analytics/storage/calendar.hpp>
#include <analytics/storage/partitions.hpp>
#include <analytics/storage/rollup.hpp>
#include <analytics/storage/rollup_jobs.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/json_text.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <sstream>

namespace analytics::storage {

namespace {

// The OGC summaries: geOrchestra's dimensions and measures, over OGC rows.
constexpr const char* ogc_select =
    "app_id, app_name, user_name, org_name, request_method, status_code, server_address, "
    "request_details->>'workspaces', request_details->>'layers', request_details->>'service', "
    "request_details->>'request', request_details->>'tiled', request_details->>'is_download', "
    "request_details->>'download_format', user_agent_family, referrer, count(*), "
    "percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time), min(response_time), "
    "max(response_time)";
constexpr const char* ogc_group =
    "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17";
constexpr const char* ogc_filter = "request_details->'tags' @> '[\"ogc\"]'";

// One job: its source table and the statements that replace one day, with
// {start} and {end} (the day's bounds, timestamptz), {day} (date) and {tz}
// (the zone) replaced by quoted literals.
struct Job {
    const char* name;
    const char* source; // partitioned raw table read; its partitions gate recomputation
    const char* key;    // its timestamp column
    std::vector<std::string> (*statements)(const db::Session&);
};

constexpr const char* ogc_columns = " (bucket, app_id, app_name, user_name, org_name, "
                                    "request_method, status_code, server_address, workspaces, "
                                    "layers, service, request, tiled, is_download, "
                                    "download_format, user_agent_family, referrer, nb_req, "
                                    "response_time_median, response_time_min, response_time_max) ";

// INSERT INTO <table> (<bucket column>, …) SELECT <bucket>, … over [from, to).
std::string ogc_insert(const db::Session& s, const std::string& table, const std::string& column,
                       const std::string& bucket, const std::string& from, const std::string& to) {
    std::string columns = ogc_columns;
    columns.replace(columns.find("bucket"), 6, column);
    return "INSERT INTO " + db::qualified(s, table) + columns + "SELECT " + bucket + ", " +
           ogc_select + " FROM " + db::qualified(s, "access_logs") + " WHERE ts >= " + from +
           " AND ts < " + to + " AND " + ogc_filter + " " + ogc_group;
}

std::vector<std::string> ogc_day(const db::Session& s) {
    return {
        "DELETE FROM " + db::qualified(s, "ogc_summary_hourly") +
            " WHERE bucket_hourly >= {start} AND bucket_hourly < {end}",
        ogc_insert(s, "ogc_summary_hourly", "bucket_hourly", "date_trunc('hour', ts, {tz})",
                   "{start}", "{end}"),
        "DELETE FROM " + db::qualified(s, "ogc_summary_daily") +
            " WHERE bucket_daily >= {start} AND bucket_daily < {end}",
        ogc_insert(s, "ogc_summary_daily", "bucket_daily", "{start}", "{start}", "{end}"),
    };
}

std::vector<std::string> api_usage_day(const db::Session& s) {
    const std::string table = db::qualified(s, "daily_api_usage_metrics");
    return {
        "DELETE FROM " + table + " WHERE metric_date = {day}",
        "INSERT INTO " + table +
            " (metric_date, endpoint, method, status_code, tier_id, api_key_id, client_name, "
            "client_channel, source_host, requests_count, unique_visits_count, "
            "avg_response_time_ms) SELECT {day}, request_path, request_method, status_code, "
            "tier_id, api_key_id, client_name, client_channel, source_host, count(*), "
            "count(DISTINCT visit_token), round(avg(response_time)::numeric, 2) FROM " +
            db::qualified(s, "access_logs") +
            " WHERE ts >= {start} AND ts < {end} GROUP BY 2, 3, 4, 5, 6, 7, 8, 9",
    };
}

std::vector<std::string> search_day(const db::Session& s) {
    const std::string table = db::qualified(s, "daily_search_metrics");
    return {
        "DELETE FROM " + table + " WHERE metric_date = {day}",
        // Impressions are counted per search, from the same day.
        "WITH shown AS (SELECT search_id, count(*) AS n FROM " +
            db::qualified(s, "search_impressions") +
            " WHERE occurred_at >= {start} AND occurred_at < {end} GROUP BY search_id) "
            "INSERT INTO " +
            table +
            " (metric_date, client_name, client_channel, source_host, view, search_field, sort, "
            "searches_count, zero_results_count, total_results_count, total_impressions_count) "
            "SELECT {day}, s.client_name, s.client_channel, s.source_host, s.view, "
            "s.search_field, s.sort, count(*), count(*) FILTER (WHERE s.zero_results), "
            "coalesce(sum(s.results_count), 0), coalesce(sum(shown.n), 0) FROM " +
            db::qualified(s, "searches") +
            " s LEFT JOIN shown USING (search_id) WHERE s.occurred_at >= {start} AND "
            "s.occurred_at < {end} GROUP BY 2, 3, 4, 5, 6, 7",
    };
}

std::vector<std::string> resource_day(const db::Session& s) {
    const std::string table = db::qualified(s, "daily_resource_metrics");
    return {
        "DELETE FROM " + table + " WHERE metric_date = {day}",
        "INSERT INTO " + table +
            " (metric_date, resource_id, event_type, client_name, client_channel, source_host, "
            "event_count) SELECT {day}, resource_id, event_type, client_name, client_channel, "
            "source_host, count(*) FROM " +
            db::qualified(s, "events") +
            " WHERE occurred_at >= {start} AND occurred_at < {end} AND resource_id IS NOT NULL "
            "GROUP BY 2, 3, 4, 5, 6",
    };
}

// Replaces each {name} by its value.
std::string fill(std::string sql, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [name, value] : values) {
        for (std::size_t at = sql.find(name); at != std::string::npos;
             at = sql.find(name, at + value.size())) {
            sql.replace(at, name.size(), value);
        }
    }
    return sql;
}

const std::vector<Job>& jobs() {
    static const std::vector<Job> all{
        {"ogc", "access_logs", "ts", ogc_day},
        {"api_usage", "access_logs", "ts", api_usage_day},
        {"search", "searches", "occurred_at", search_day},
        {"resource", "events", "occurred_at", resource_day},
    };
    return all;
}

class JobRunner {
  public:
    JobRunner(db::Session& session, const config::Config& config, const RollupOptions& options,
              const Job& job)
        : m_session(session), m_config(config), m_options(options), m_job(job),
          m_zone(config.timezone), m_conn(session.impl().connection) {
        m_report.job = job.name;
        m_today = local_day(m_zone, options.now_us);
    }

    RollupJobReport run() {
        m_partitions = list_partitions(m_session, m_job.source);
        const std::optional<std::int64_t> checkpoint = read_checkpoint();
        std::vector<std::int64_t> days; // in order, each once
        std::set<std::int64_t> dirty;
        if (!m_options.from.empty()) {
            const std::int64_t from = parse_date(m_options.from, "--from");
            const std::int64_t to = parse_date(m_options.to, "--to");
            for (std::int64_t d = from; d <= std::min(to, m_today - 1); ++d) {
                days.push_back(d);
            }
        } else {
            for (const std::int64_t d : read_dirty_days(checkpoint)) {
                dirty.insert(d);
                days.push_back(d);
            }
            std::optional<std::int64_t> first;
            if (checkpoint) {
                first = *checkpoint + 1;
            } else {
                first = first_day();
            }
            if (first) {
                const std::int64_t cap = std::max(1, m_config.rollup.max_days_per_run);
                for (std::int64_t d = *first; d <= m_today - 1 && d < *first + cap; ++d) {
                    days.push_back(d);
                }
            }
        }
        std::optional<std::int64_t> current = checkpoint;
        std::set<std::pair<int, unsigned>> months;
        for (const std::int64_t day : days) {
            const std::string text = format_day(day);
            if (!has_partition(day)) {
                m_report.skipped.push_back(text);
                if (!m_options.dry_run) {
                    clear_dirty(day);
                }
                continue;
            }
            m_report.days.push_back(text);
            if (dirty.count(day) != 0) {
                m_report.dirty.push_back(text);
            }
            // Forced days never move the checkpoint past a day not rolled up.
            const bool advances = !current ? m_options.from.empty() : day == *current + 1;
            if (!m_options.dry_run) {
                try {
                    roll_day(day, advances);
                } catch (const pqxx::broken_connection&) {
                    throw;
                } catch (const pqxx::sql_error& e) {
                    m_report.error = text + ": " + error_text(e);
                    break;
                }
            }
            if (advances) {
                current = day;
            }
            int year = 0;
            unsigned month = 0, dom = 0;
            parse::civil_from_days(day, year, month, dom);
            months.insert({year, month});
        }
        if (std::string(m_job.name) == "ogc" && m_report.error.empty()) {
            for (const auto& [year, month] : months) {
                roll_month(year, month, current);
            }
        }
        if (current) {
            m_report.checkpoint = format_day(*current);
        }
        return m_report;
    }

  private:
    std::optional<std::int64_t> read_checkpoint() {
        pqxx::read_transaction tx{m_conn};
        const auto r = tx.exec_params(
            "SELECT (last_processed_date - date '1970-01-01')::bigint FROM " +
                db::qualified(m_session, "maintenance_state") + " WHERE job_name = $1",
            std::string(m_job.name));
        if (r.empty() || r[0][0].is_null()) {
            return std::nullopt;
        }
        return r[0][0].as<std::int64_t>();
    }

    std::vector<std::int64_t> read_dirty_days(const std::optional<std::int64_t>& checkpoint) {
        if (!checkpoint) {
            return {};
        }
        pqxx::read_transaction tx{m_conn};
        std::vector<std::int64_t> days;
        for (const auto& row :
             tx.exec_params("SELECT (day - date '1970-01-01')::bigint FROM " +
                                db::qualified(m_session, "rollup_dirty_days") +
                                " WHERE job_name = $1 AND day <= $2::date ORDER BY day",
                            std::string(m_job.name), format_day(*checkpoint))) {
            days.push_back(row[0].as<std::int64_t>());
        }
        return days;
    }

    // The local day of the oldest row: min() over a partitioned table with a
    // time index reads the first partition's index, not the table.
    std::optional<std::int64_t> first_day() {
        pqxx::read_transaction tx{m_conn};
        const auto r =
            tx.exec("SELECT (extract(epoch FROM min(" + std::string(m_job.key) +
                    ")) * 1000000)::bigint FROM " + db::qualified(m_session, m_job.source));
        if (r[0][0].is_null()) {
            return std::nullopt;
        }
        return local_day(m_zone, r[0][0].as<std::int64_t>());
    }

    bool has_partition(std::int64_t day) const {
        const std::int64_t start = m_zone.to_utc(day * us_per_day);
        return std::any_of(m_partitions.begin(), m_partitions.end(),
                           [start](const auto& p) { return p.contains(start); });
    }

    void roll_day(std::int64_t day, bool advances) {
        const std::string text = format_day(day);
        pqxx::work tx{m_conn};
        const std::vector<std::pair<std::string, std::string>> values{
            {"{start}",
             tx.quote(parse::format_iso_utc(m_zone.to_utc(day * us_per_day))) + "::timestamptz"},
            {"{end}", tx.quote(parse::format_iso_utc(m_zone.to_utc((day + 1) * us_per_day))) +
                          "::timestamptz"},
            {"{day}", tx.quote(text) + "::date"},
            {"{tz}", tx.quote(m_config.timezone) + "::text"}};
        for (const auto& sql : m_job.statements(m_session)) {
            const auto r = tx.exec(fill(sql, values));
            if (sql.rfind("DELETE", 0) != 0) {
                m_report.rows += r.affected_rows();
            }
        }
        if (advances) {
            tx.exec_params("INSERT INTO " + db::qualified(m_session, "maintenance_state") +
                               " (job_name, last_processed_date) VALUES ($1, $2::date) "
                               "ON CONFLICT (job_name) DO UPDATE SET last_processed_date = "
                               "EXCLUDED.last_processed_date, updated_at = now()",
                           std::string(m_job.name), text);
        }
        delete_dirty_mark(tx, day);
        tx.commit();
    }

    void clear_dirty(std::int64_t day) {
        pqxx::work tx{m_conn};
        delete_dirty_mark(tx, day);
        tx.commit();
    }

    void delete_dirty_mark(pqxx::work& tx, std::int64_t day) {
        tx.exec_params("DELETE FROM " + db::qualified(m_session, "rollup_dirty_days") +
                           " WHERE job_name = $1 AND day = $2::date",
                       std::string(m_job.name), format_day(day));
    }

    // A month is summarised once it is complete and rolled up to its last
    // day, from its raw rows (a median cannot be made of daily medians).
    void roll_month(int year, unsigned month, const std::optional<std::int64_t>& checkpoint) {
        const MonthSpan span = month_span(m_zone, year, month);
        const std::int64_t last_day = local_day(m_zone, span.to_us - 1);
        if (!checkpoint || *checkpoint < last_day || last_day >= m_today ||
            !has_partition(last_day)) {
            return;
        }
        char label[16];
        std::snprintf(label, sizeof label, "%04d-%02u", year, month);
        m_report.months.push_back(label);
        if (m_options.dry_run) {
            return;
        }
        pqxx::work tx{m_conn};
        const std::string start = tx.quote(parse::format_iso_utc(span.from_us)) + "::timestamptz";
        const std::string end = tx.quote(parse::format_iso_utc(span.to_us)) + "::timestamptz";
        tx.exec("DELETE FROM " + db::qualified(m_session, "ogc_summary_monthly") +
                " WHERE bucket_monthly >= " + start + " AND bucket_monthly < " + end);
        const auto r = tx.exec(
            ogc_insert(m_session, "ogc_summary_monthly", "bucket_monthly", start, start, end));
        m_report.rows += r.affected_rows();
        tx.commit();
    }

    db::Session& m_session;
    const config::Config& m_config;
    const RollupOptions& m_options;
    const Job& m_job;
    parse::LocalZone m_zone;
    pqxx::connection& m_conn;
    std::int64_t m_today = 0;
    std::vector<PartitionInfo> m_partitions;
    RollupJobReport m_report;
};

void append_list(std::string& out, const char* key, const std::vector<std::string>& items) {
    out += ",\"";
    out += key;
    out += "\":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += i == 0 ? "" : ",";
        append_json_string(out, items[i]);
    }
    out += "]";
}

} // namespace

std::int64_t parse_date(const std::string& text, const std::string& what) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
        d < 1 || d > 31) {
        throw UsageError(what + " expects a date YYYY-MM-DD, got \"" + text + "\"");
    }
    return parse::days_from_civil(y, m, d);
}

RollupSummary rollup(db::Session& session, const config::Config& config,
                     const RollupOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    if (options.from.empty() != options.to.empty()) {
        throw UsageError("--from and --to go together");
    }
    if (!options.from.empty() &&
        parse_date(options.to, "--to") < parse_date(options.from, "--from")) {
        throw UsageError("--to " + options.to + " is before --from " + options.from);
    }
    RollupSummary summary;
    summary.dry_run = options.dry_run;
    for (const auto& job : jobs()) {
        if (!options.job.empty() && options.job != job.name) {
            continue;
        }
        try {
            summary.jobs.push_back(JobRunner(session, config, options, job).run());
        } catch (const pqxx::broken_connection& e) {
            throw DbUnavailable(std::string("lost the database connection during rollup job ") +
                                job.name + ": " + e.what());
        }
    }
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

bool RollupSummary::failed() const {
    return std::any_of(jobs.begin(), jobs.end(), [](const auto& j) { return !j.error.empty(); });
}

std::string RollupSummary::to_text() const {
    std::ostringstream out;
    for (const auto& job : jobs) {
        out << "rollup " << job.job << ": " << job.days.size()
            << (dry_run ? " days to roll up" : " days rolled up");
        if (!job.days.empty()) {
            out << " (" << job.days.front() << (job.days.size() > 1 ? ".." + job.days.back() : "")
                << ")";
        }
        out << ", " << job.dirty.size() << " dirty, " << job.skipped.size()
            << " skipped (raw data dropped)";
        if (!job.months.empty()) {
            out << ", months " << job.months.front()
                << (job.months.size() > 1 ? ".." + job.months.back() : "");
        }
        out << ", " << job.rows << " rows, checkpoint "
            << (job.checkpoint.empty() ? "none" : job.checkpoint) << "\n";
        if (!job.error.empty()) {
            out << "  FAILED " << job.error << "\n";
        }
    }
    char tail[48];
    std::snprintf(tail, sizeof tail, "rollup: %.2f s\n", seconds);
    out << tail;
    return out.str();
}

std::string RollupSummary::to_json() const {
    std::string out = "{\"dry_run\":";
    out += dry_run ? "true" : "false";
    out += ",\"jobs\":[";
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& job = jobs[i];
        out += i == 0 ? "{\"job\":" : ",{\"job\":";
        append_json_string(out, job.job);
        append_list(out, "days", job.days);
        append_list(out, "dirty", job.dirty);
        append_list(out, "months", job.months);
        append_list(out, "skipped", job.skipped);
        out += ",\"rows\":" + std::to_string(job.rows);
        out += ",\"checkpoint\":";
        if (job.checkpoint.empty()) {
            out += "null";
        } else {
            append_json_string(out, job.checkpoint);
        }
        out += ",\"error\":";
        if (job.error.empty()) {
            out += "null";
        } else {
            append_json_string(out, job.error);
        }
        out += "}";
    }
    char tail[48];
    std::snprintf(tail, sizeof tail, "],\"seconds\":%.3f}", seconds);
    return out + tail;
}

} // namespace analytics::storage
