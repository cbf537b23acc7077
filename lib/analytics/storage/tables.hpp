#pragma once

// Every table maintenance knows, in one place: the partitioned raw tables
// (partition key, retention setting) and the rollup tables (the job that
// writes them, how often, their period column, their retention setting).
// What each job reads is in rollup_jobs.hpp. A new raw table or rollup table
// is one line here, plus its SQL: the migration that creates it and, for a
// rollup table, the statement that fills it (sql/rollup/<table>.sql, or the
// file of its family of periods: cmake/EmbedSql.cmake).
//
// On a Citus coordinator (citus_layout.hpp) the catalogue also says where each
// table lives: raw tables hash-distributed on their column below, rollup
// tables and bookkeeping_tables() as their entry says. README "When one server
// is not enough" gives the reasons.

#include <analytics/config/config.hpp>

#include <optional>
#include <string>
#include <vector>

namespace analytics::storage {

using RetentionSetting = std::optional<int> config::Retention::*;

// Where a table lives on a Citus cluster.
enum class Placement {
    distributed, // hash-distributed over the workers' shards
    reference,   // one copy on every node: small, read by joins and reports anywhere
    coordinator, // a plain table of the coordinator: small, never joined with raw rows
};

struct RawTable {
    const char* name;
    const char* key; // the partition key (timestamptz), monthly ranges
    RetentionSetting retention;
    // Citus: the distribution column. A record id or an event's own id hashes
    // evenly; a search's id keeps a search with its impressions on one shard,
    // so the search rollup's join stays on the workers. It must be in every
    // unique constraint (the identity keys).
    const char* distribution;
};

// In load::Table's order.
inline const std::vector<RawTable>& raw_tables() {
    static const std::vector<RawTable> tables{
        {"access_logs", "ts", &config::Retention::access_logs, "id"},
        {"searches", "occurred_at", &config::Retention::searches, "search_id"},
        {"search_impressions", "occurred_at", &config::Retention::search_impressions, "search_id"},
        {"events", "occurred_at", &config::Retention::events, "event_id"},
    };
    return tables;
}

// How much of a rollup table one statement replaces: a day, each day rolled
// up, or a month, once complete and rolled up to its last day (from the raw
// rows: a median cannot be made of daily medians). An hourly table is a day
// table that is also replaced for today's completed hours at each run (SPEC
// §9: fresh within the hour), and again whole when the day completes.
enum class Refresh { day, month, hour };

struct RollupTable {
    const char* name;
    const char* job;    // the rollup job that writes it
    const char* period; // its period column: timestamptz bucket, or a date
    RetentionSetting retention;
    Refresh refresh;
};

inline const std::vector<RollupTable>& rollup_tables() {
    static const std::vector<RollupTable> tables{
        {"ogc_summary_hourly", "ogc", "bucket_hourly", &config::Retention::hourly_rollups,
         Refresh::hour},
        {"ogc_summary_daily", "ogc", "bucket_daily", &config::Retention::daily_rollups,
         Refresh::day},
        {"daily_api_usage_metrics", "api_usage", "metric_date", &config::Retention::daily_rollups,
         Refresh::day},
        {"daily_search_metrics", "search", "metric_date", &config::Retention::daily_rollups,
         Refresh::day},
        {"daily_resource_metrics", "resource", "metric_date", &config::Retention::daily_rollups,
         Refresh::day},
        {"daily_access_summary", "access", "metric_date", &config::Retention::daily_rollups,
         Refresh::day},
        {"daily_country_summary", "access", "metric_date", &config::Retention::daily_rollups,
         Refresh::day},
        {"ogc_summary_monthly", "ogc", "bucket_monthly", &config::Retention::monthly_rollups,
         Refresh::month},
        {"monthly_access_summary", "access", "metric_month", &config::Retention::monthly_rollups,
         Refresh::month},
        {"monthly_country_summary", "access", "metric_month", &config::Retention::monthly_rollups,
         Refresh::month},
        {"dataapi_summary_hourly", "dataapi", "bucket_hourly", &config::Retention::hourly_rollups,
         Refresh::hour},
        {"dataapi_summary_daily", "dataapi", "bucket_daily", &config::Retention::daily_rollups,
         Refresh::day},
        {"dataapi_summary_monthly", "dataapi", "bucket_monthly",
         &config::Retention::monthly_rollups, Refresh::month},
    };
    return tables;
}

// The other tables of the schema, for their place on a Citus cluster (rollup
// tables are reference tables: one row per period and dimension, orders of
// magnitude fewer than the raw rows, read whole by the report).
struct BookkeepingTable {
    const char* name;
    Placement placement;
};

inline const std::vector<BookkeepingTable>& bookkeeping_tables() {
    // Written a row at a time by the commands on the coordinator, read there,
    // never joined with raw rows: they stay plain coordinator tables, so their
    // writes are local and the buffer keeps Vector's inserts and process's
    // FOR UPDATE SKIP LOCKED as they are.
    static const std::vector<BookkeepingTable> tables{
        {"opentelemetry_buffer", Placement::coordinator},
        {"schema_migrations", Placement::coordinator},
        {"settings", Placement::coordinator},
        {"maintenance_state", Placement::coordinator},
        {"rollup_dirty_days", Placement::coordinator},
        {"dropped_months", Placement::coordinator},
        {"ingest_registry", Placement::coordinator},
        {"ingest_registry_files", Placement::coordinator},
        {"ingest_rejects", Placement::coordinator},
        // Read once per run by ingest and process on the coordinator: the
        // salt never leaves it, and is deleted there after its day.
        {"visitor_salts", Placement::coordinator},
    };
    return tables;
}

} // namespace analytics::storage
