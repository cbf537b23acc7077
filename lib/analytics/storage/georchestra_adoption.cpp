#include <analytics/db/migrations.hpp>
#include <analytics/db/session_impl.hpp>
#include <analytics/db/statements.hpp>
#include <analytics/storage/calendar.hpp>
#include <analytics/storage/georchestra_adoption.hpp>
#include <analytics/storage/partitions.hpp>
#include <analytics/storage/rollup_jobs.hpp>
#include <analytics/time/local_zone.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/log.hpp>

#include <optional>

namespace analytics::storage {

namespace {

// The identifiers below are the two schemas' names, known only at run time,
// so these statements are built here (quoted) rather than kept in sql/.

// geOrchestra's access_logs into ours: the same columns, without oid and the
// never-filled ip; a row without id gets one from its oid (as the README's
// manual copy did); the user-agent family and referrer geOrchestra kept in
// request_details fill our columns of those names, which the rollups read.
constexpr const char* target_columns =
    "id, ts, message, app_id, app_path, app_name, user_id, user_name, org_id, org_name, roles, "
    "auth_method, request_method, request_path, request_query_string, request_details, "
    "response_time, response_size, status_code, client_ip, server_address, context_data, "
    "user_agent_family, referrer";
constexpr const char* source_columns =
    "coalesce(id, 'oid' || oid), ts, message, app_id, app_path, app_name, user_id, user_name, "
    "org_id, org_name, roles, auth_method, request_method, request_path, request_query_string, "
    "request_details, response_time, response_size, status_code, client_ip, server_address, "
    "context_data, request_details->>'user_agent_family', request_details->>'referrer'";

// The dimensions of the ogc_summary_* tables (ours and geOrchestra's).
constexpr const char* summary_columns =
    "app_id, app_name, user_name, org_name, request_method, status_code, server_address, "
    "workspaces, layers, service, request, tiled, is_download, download_format, "
    "user_agent_family, referrer";

struct Summary {
    const char* table;
    const char* bucket;
};

constexpr Summary summaries[] = {
    {"ogc_summary_hourly", "bucket_hourly"},
    {"ogc_summary_daily", "bucket_daily"},
    {"ogc_summary_monthly", "bucket_monthly"},
};

class Adoption {
  public:
    Adoption(const db::OpenOptions& open, const config::Config& config, const AdoptOptions& options)
        : m_open(open), m_config(config), m_options(options),
          m_session(db::open_session(with_policy(open))), m_zone(config.timezone) {
        m_result.dry_run = options.dry_run;
        m_result.schema = m_session.schema();
        m_result.aside_schema = m_session.schema() + "_georchestra";
        m_staging = m_session.schema() + "_adopting";
    }

    AdoptResult run() {
        auto& conn = m_session.impl().connection;
        {
            pqxx::nontransaction lock{conn};
            if (!lock.exec_params1("SELECT pg_try_advisory_lock(hashtext('analytics:adopt'), "
                                   "hashtext($1))",
                                   m_result.schema)[0]
                     .as<bool>()) {
                throw LockBusy("another 'analytics migrate --adopt' is running on schema \"" +
                               m_result.schema + "\"");
            }
        }
        const bool georchestra = db::foreign_access_logs(m_session);
        if (georchestra) {
            if (schema_exists(m_result.aside_schema)) {
                throw ConfigError("schema \"" + m_result.aside_schema +
                                  "\" exists already: geOrchestra's objects cannot be moved "
                                  "aside under that name; rename or drop it first");
            }
            m_result.switched = true;
            m_source = m_result.schema;
            if (m_options.dry_run) {
                preview();
                return m_result;
            }
            prepare_staging();
            switch_schemas();
        } else if (!relation(m_result.aside_schema, "analytics_adoption")) {
            throw ConfigError("schema \"" + m_result.schema +
                              "\" holds no geOrchestra access_logs to adopt (nor an adoption to "
                              "resume in \"" +
                              m_result.aside_schema + "\"): nothing to do");
        }
        m_source = m_result.aside_schema;
        if (m_options.dry_run) {
            preview();
            return m_result;
        }
        keep_aggregates();
        copy_days();
        return m_result;
    }

  private:
    static db::OpenOptions with_policy(db::OpenOptions open) {
        open.policy = db::SchemaPolicy::none;
        return open;
    }

    std::string q(const std::string& name) { return m_session.impl().connection.quote_name(name); }

    std::string in(const std::string& schema, const std::string& table) {
        return q(schema) + "." + q(table);
    }

    // Where geOrchestra's aggregates in `schema` stop being kept, as an SQL
    // expression ($1 the zone): the first month whose raw rows are all there.
    // TimescaleDB's retention drops whole chunks (a week by default), so the
    // first raw month usually lost its first days: when its hourly or daily
    // aggregates hold rows before the first raw row, that month is kept from
    // the aggregates too (all three), and frozen as a month dropped from the
    // raw table is (its raw rows are copied, the rollups leave it be: a
    // monthly row cannot be made of part of a month). NULL (keep everything)
    // without raw rows. The tables are looked for in `probed` (outside a
    // transaction), where they are before the switch renames it `schema`.
    std::string kept_until(const std::string& schema, const std::string& probed) {
        const std::string raw = "(SELECT min(ts) FROM " + in(schema, "access_logs") + ")";
        const std::string month = "date_trunc('month', " + raw + ", $1)";
        std::string partial = "false";
        for (const auto& s : summaries) {
            if (std::string(s.table) != "ogc_summary_monthly" && relation(probed, s.table)) {
                partial += " OR EXISTS (SELECT FROM " + in(schema, s.table) + " WHERE " + s.bucket +
                           " >= " + month + " AND " + s.bucket + " < " + raw + ")";
            }
        }
        return "(CASE WHEN " + partial + " THEN date_trunc('month', " + month +
               " + interval '1 month 1 day', $1) ELSE " + month + " END)";
    }

    bool relation(const std::string& schema, const std::string& name) {
        pqxx::read_transaction tx{m_session.impl().connection};
        return tx
            .exec_params1("SELECT to_regclass(format('%I.%I', $1::text, $2::text)) IS NOT NULL",
                          schema, name)[0]
            .as<bool>();
    }

    bool schema_exists(const std::string& schema) {
        pqxx::read_transaction tx{m_session.impl().connection};
        return tx
            .exec_params1("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)", schema)[0]
            .as<bool>();
    }

    // Our schema, made under its staging name (a re-run after a crash here
    // finds it half-made and completes it).
    void prepare_staging() {
        config::Config staging = m_config;
        staging.database.schema = m_staging;
        db::OpenOptions open = with_policy(m_open);
        open.config = &staging;
        auto session = db::open_session(open);
        log::info("adopt: creating analytics' schema as \"" + m_staging + "\"");
        db::migrate(session, {false, nullptr, m_config.database.buffer_unlogged});
    }

    void switch_schemas() {
        const std::string kept = kept_until(m_result.aside_schema, m_result.schema);
        pqxx::work tx{m_session.impl().connection};
        const bool buffer = tx.exec_params1("SELECT to_regclass(format('%I.%I', $1::text, "
                                            "'opentelemetry_buffer')) IS NOT NULL",
                                            m_result.schema)[0]
                                .as<bool>();
        if (buffer) {
            // Vector's inserts wait for this lock, then find our buffer by
            // its name (PostgreSQL looks the name up again after a wait).
            tx.exec("LOCK TABLE " + in(m_result.schema, "opentelemetry_buffer") +
                    " IN ACCESS EXCLUSIVE MODE");
        }
        tx.exec("ALTER SCHEMA " + q(m_result.schema) + " RENAME TO " + q(m_result.aside_schema));
        tx.exec("ALTER SCHEMA " + q(m_staging) + " RENAME TO " + q(m_result.schema));
        if (buffer) {
            m_result.buffer_rows =
                tx.exec("INSERT INTO " + in(m_result.schema, "opentelemetry_buffer") +
                        " SELECT * FROM " + in(m_result.aside_schema, "opentelemetry_buffer"))
                    .affected_rows();
            tx.exec("TRUNCATE " + in(m_result.aside_schema, "opentelemetry_buffer"));
        }
        // How far the copy went, beside the rows it copies from.
        tx.exec("CREATE TABLE " + in(m_result.aside_schema, "analytics_adoption") +
                " (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), "
                "first_raw timestamptz, last_raw timestamptz, kept_until timestamptz, "
                "copied_until timestamptz, "
                "aggregates_kept boolean NOT NULL DEFAULT false, "
                "switched_at timestamptz NOT NULL DEFAULT now(), completed_at timestamptz)");
        tx.exec_params("INSERT INTO " + in(m_result.aside_schema, "analytics_adoption") +
                           " (first_raw, last_raw, kept_until, copied_until) "
                           "SELECT min(ts), max(ts), " +
                           kept + ", date_trunc('day', min(ts), $1) FROM " +
                           in(m_result.aside_schema, "access_logs"),
                       m_config.timezone);
        tx.commit();
        log::info("adopt: geOrchestra's objects moved to schema \"" + m_result.aside_schema +
                  "\"; analytics' schema is \"" + m_result.schema + "\" (" +
                  std::to_string(m_result.buffer_rows) + " buffer rows moved)");
    }

    // The aggregates of the periods without raw rows, once.
    void keep_aggregates() {
        pqxx::work tx{m_session.impl().connection};
        const std::string adoption = in(m_result.aside_schema, "analytics_adoption");
        if (tx.exec("SELECT aggregates_kept FROM " + adoption)[0][0].as<bool>()) {
            return;
        }
        std::string buckets;
        for (const auto& s : summaries) {
            if (!tx.exec_params1("SELECT to_regclass(format('%I.%I', $1::text, $2::text)) IS "
                                 "NOT NULL",
                                 m_result.aside_schema, s.table)[0]
                     .as<bool>()) {
                continue;
            }
            const std::string keep = " FROM " + in(m_result.aside_schema, s.table) + ", " +
                                     adoption + " a WHERE a.kept_until IS NULL OR " + s.bucket +
                                     " < a.kept_until";
            m_result.aggregate_rows +=
                tx.exec("INSERT INTO " + in(m_result.schema, s.table) + " (" + s.bucket + ", " +
                        summary_columns +
                        ", nb_req, response_time_median, response_time_min, response_time_max) "
                        "SELECT " +
                        s.bucket + ", " + summary_columns +
                        ", nb_req::bigint, response_time_median, response_time_min::integer, "
                        "response_time_max::integer" +
                        keep)
                    .affected_rows();
            buckets += std::string(buckets.empty() ? "" : " UNION ") + "SELECT " + s.bucket +
                       " AS bucket" + keep;
        }
        if (!buckets.empty()) {
            // Their raw months are gone: recorded as dropped, they are never
            // made again from raw rows, and the rollups leave their days be.
            tx.exec_params("INSERT INTO " + in(m_result.schema, "dropped_months") +
                               " (table_name, month) SELECT DISTINCT 'access_logs', "
                               "(date_trunc('month', bucket, $1) AT TIME ZONE $1)::date FROM (" +
                               buckets + ") kept ON CONFLICT DO NOTHING",
                           m_config.timezone);
        }
        tx.exec("UPDATE " + adoption + " SET aggregates_kept = true");
        tx.commit();
        log::info("adopt: " + std::to_string(m_result.aggregate_rows) +
                  " ogc_summary rows kept for the periods without raw rows");
    }

    // The raw rows, a local day per transaction, from where the last run
    // stopped; empty days are skipped.
    void copy_days() {
        auto& conn = m_session.impl().connection;
        const std::string adoption = in(m_result.aside_schema, "analytics_adoption");
        const std::string source = in(m_result.aside_schema, "access_logs");
        const std::string jobs = db::array_literal(jobs_reading("access_logs"));
        {
            pqxx::read_transaction tx{conn};
            const auto r = tx.exec("SELECT coalesce(first_raw::text, ''), "
                                   "coalesce(last_raw::text, ''), completed_at IS NOT NULL, "
                                   "(SELECT count(*) FROM " +
                                   source + ") FROM " + adoption);
            m_result.first_raw = r[0][0].as<std::string>();
            m_result.last_raw = r[0][1].as<std::string>();
            m_result.complete = r[0][2].as<bool>();
            m_result.source_rows = r[0][3].as<std::int64_t>();
        }
        std::int64_t copied_before = 0;
        if (!m_result.complete) {
            pqxx::read_transaction tx{conn};
            copied_before = tx.exec("SELECT count(*) FROM " + source + " s, " + adoption +
                                    " a WHERE s.ts < a.copied_until")[0][0]
                                .as<std::int64_t>();
        }
        while (!m_result.complete) {
            // The next day holding rows, and its end.
            std::optional<std::string> from, to;
            std::int64_t from_us = 0;
            {
                pqxx::read_transaction tx{conn};
                const auto r = tx.exec_params(
                    "SELECT d::text, (date_trunc('day', d + interval '26 hours', $1))::text, "
                    "(extract(epoch FROM d) * 1000000)::bigint FROM (SELECT date_trunc('day', "
                    "min(s.ts), $1) AS d FROM " +
                        source + " s, " + adoption +
                        " a WHERE s.ts >= a.copied_until) next WHERE d IS NOT NULL",
                    m_config.timezone);
                if (!r.empty()) {
                    from = r[0][0].as<std::string>();
                    to = r[0][1].as<std::string>();
                    from_us = r[0][2].as<std::int64_t>();
                }
            }
            if (!from) {
                pqxx::work tx{conn};
                tx.exec("UPDATE " + adoption + " SET completed_at = now()");
                tx.commit();
                m_result.complete = true;
                break;
            }
            // A month kept from the aggregates is recorded as dropped: its
            // partition is made all the same, for its raw rows.
            create_month_partition(m_session, "access_logs", month_of(m_zone, from_us), true);
            pqxx::work tx{conn};
            const auto copied =
                tx.exec_params("INSERT INTO " + in(m_result.schema, "access_logs") + " (" +
                                   target_columns + ") SELECT " + source_columns + " FROM " +
                                   source +
                                   " WHERE ts >= $1::timestamptz AND ts < $2::timestamptz "
                                   "ORDER BY ts ON CONFLICT DO NOTHING",
                               *from, *to)
                    .affected_rows();
            // A day already rolled up (a maintain ran meanwhile) is made again.
            tx.exec_params("INSERT INTO " + in(m_result.schema, "rollup_dirty_days") +
                               " (job_name, day) SELECT job_name, ($1::timestamptz AT TIME ZONE "
                               "$2)::date FROM " +
                               in(m_result.schema, "maintenance_state") +
                               " WHERE job_name = ANY ($3::text[]) AND last_processed_date >= "
                               "($1::timestamptz AT TIME ZONE $2)::date ON CONFLICT DO NOTHING",
                           *from, m_config.timezone, jobs);
            tx.exec_params("UPDATE " + adoption + " SET copied_until = $1::timestamptz", *to);
            tx.commit();
            m_result.copied_rows += static_cast<std::int64_t>(copied);
            ++m_result.days;
            if (m_options.progress) {
                m_options.progress(from->substr(0, 10), copied_before + m_result.copied_rows,
                                   m_result.source_rows);
            }
        }
    }

    // --dry-run: what a run would do, from the tables as they are.
    void preview() {
        const std::string kept = m_result.switched ? kept_until(m_source, m_source) : "";
        pqxx::read_transaction tx{m_session.impl().connection};
        const std::string source = in(m_source, "access_logs");
        std::string since = "NULL::timestamptz";
        if (!m_result.switched) {
            const std::string adoption = in(m_result.aside_schema, "analytics_adoption");
            m_result.complete =
                tx.exec("SELECT completed_at IS NOT NULL FROM " + adoption)[0][0].as<bool>();
            since = "(SELECT copied_until FROM " + adoption + ")";
        }
        const auto r = tx.exec_params(
            "SELECT count(*), coalesce(min(ts)::text, ''), coalesce(max(ts)::text, ''), "
            "count(DISTINCT date_trunc('day', ts, $1)) FILTER (WHERE " +
                since + " IS NULL OR ts >= " + since + ") FROM " + source,
            m_config.timezone);
        m_result.source_rows = r[0][0].as<std::int64_t>();
        m_result.first_raw = r[0][1].as<std::string>();
        m_result.last_raw = r[0][2].as<std::string>();
        m_result.days = m_result.complete ? 0 : r[0][3].as<std::int64_t>();
        if (m_result.switched) {
            if (tx.exec_params1("SELECT to_regclass(format('%I.%I', $1::text, "
                                "'opentelemetry_buffer')) IS NOT NULL",
                                m_source)[0]
                    .as<bool>()) {
                m_result.buffer_rows =
                    tx.exec("SELECT count(*) FROM " + in(m_source, "opentelemetry_buffer"))[0][0]
                        .as<std::int64_t>();
            }
            for (const auto& s : summaries) {
                if (!tx.exec_params1("SELECT to_regclass(format('%I.%I', $1::text, $2::text)) "
                                     "IS NOT NULL",
                                     m_source, s.table)[0]
                         .as<bool>()) {
                    continue;
                }
                m_result.aggregate_rows +=
                    tx.exec_params("SELECT count(*) FROM " + in(m_source, s.table) + " WHERE " +
                                       s.bucket + " < coalesce(" + kept + ", 'infinity')",
                                   m_config.timezone)[0][0]
                        .as<std::int64_t>();
            }
        }
    }

    db::OpenOptions m_open;
    const config::Config& m_config;
    const AdoptOptions& m_options;
    db::Session m_session;
    time::LocalZone m_zone;
    std::string m_staging;
    std::string m_source; // the schema geOrchestra's tables are in now
    AdoptResult m_result;
};

} // namespace

AdoptResult adopt_georchestra(const db::OpenOptions& open, const config::Config& config,
                              const AdoptOptions& options) {
    return Adoption(open, config, options).run();
}

} // namespace analytics::storage
