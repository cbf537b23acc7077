#pragma once

// Every table maintenance knows, in one place: the partitioned raw tables
// (partition key, retention setting) and the rollup tables (the job that
// writes them, their period column, their retention setting). What each job
// reads is in rollup_jobs.hpp. A new raw table or rollup table is one line
// here, plus its SQL.

#include <analytics/config/config.hpp>

#include <optional>
#include <string>
#include <vector>

namespace analytics::storage {

using RetentionSetting = std::optional<int> config::Retention::*;

struct RawTable {
    const char* name;
    const char* key; // the partition key (timestamptz), monthly ranges
    RetentionSetting retention;
};

// In load::Table's order.
inline const std::vector<RawTable>& raw_tables() {
    static const std::vector<RawTable> tables{
        {"access_logs", "ts", &config::Retention::access_logs},
        {"searches", "occurred_at", &config::Retention::searches},
        {"search_impressions", "occurred_at", &config::Retention::search_impressions},
        {"events", "occurred_at", &config::Retention::events},
    };
    return tables;
}

struct RollupTable {
    const char* name;
    const char* job;    // the rollup job that writes it
    const char* period; // its period column: timestamptz bucket, or a date
    RetentionSetting retention;
};

inline const std::vector<RollupTable>& rollup_tables() {
    static const std::vector<RollupTable> tables{
        {"ogc_summary_hourly", "ogc", "bucket_hourly", &config::Retention::hourly_rollups},
        {"ogc_summary_daily", "ogc", "bucket_daily", &config::Retention::daily_rollups},
        {"daily_api_usage_metrics", "api_usage", "metric_date", &config::Retention::daily_rollups},
        {"daily_search_metrics", "search", "metric_date", &config::Retention::daily_rollups},
        {"daily_resource_metrics", "resource", "metric_date", &config::Retention::daily_rollups},
        {"ogc_summary_monthly", "ogc", "bucket_monthly", &config::Retention::monthly_rollups},
    };
    return tables;
}

} // namespace analytics::storage
