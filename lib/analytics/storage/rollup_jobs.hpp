#pragma once

// The rollup jobs (SPEC §2 `rollup`) and the raw tables each one reads: a
// row arriving for a day a job has already rolled up marks that day dirty,
// and a month dropped from any table a job reads freezes that job's days.
// What a job writes is in tables.hpp (rollup_tables), each table filled by
// its statement sql/rollup/<table>.sql: rollup.cpp runs the jobs of this list
// with those statements, so a new job is a line here, its tables there and
// their SQL.

#include <algorithm>
#include <string>
#include <vector>

namespace analytics::storage {

struct RollupJobInfo {
    const char* name;
    // Raw tables read; the first is the main one (its oldest row starts the
    // first checkpoint).
    std::vector<const char*> sources;
};

// ogc: ogc_summary_hourly/daily/monthly; api_usage: daily_api_usage_metrics;
// search: daily_search_metrics (searches, with their impressions);
// resource: daily_resource_metrics; dataapi: dataapi_summary_hourly/daily/monthly
// (geOrchestra's data-API summaries); access: daily/monthly_access_summary and
// daily/monthly_country_summary (rows with a country, geoip.database).
inline const std::vector<RollupJobInfo>& rollup_job_catalogue() {
    static const std::vector<RollupJobInfo> jobs{
        {"ogc", {"access_logs"}},
        {"api_usage", {"access_logs"}},
        {"search", {"searches", "search_impressions"}},
        {"resource", {"events"}},
        {"access", {"access_logs"}},
        {"dataapi", {"access_logs"}},
    };
    return jobs;
}

inline const std::vector<std::string>& rollup_job_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all;
        for (const auto& job : rollup_job_catalogue()) {
            all.emplace_back(job.name);
        }
        return all;
    }();
    return names;
}

inline bool job_reads(const RollupJobInfo& job, const std::string& table) {
    return std::any_of(job.sources.begin(), job.sources.end(),
                       [&table](const char* source) { return table == source; });
}

// The jobs that read `table`.
inline std::vector<std::string> jobs_reading(const std::string& table) {
    std::vector<std::string> names;
    for (const auto& job : rollup_job_catalogue()) {
        if (job_reads(job, table)) {
            names.emplace_back(job.name);
        }
    }
    return names;
}

// The raw tables whose dropped months freeze the days of `table`'s rows:
// every table read by a job that reads it (a search day cannot be rolled up
// again once its impressions are gone).
inline std::vector<std::string> tables_rolled_up_with(const std::string& table) {
    std::vector<std::string> tables;
    for (const auto& job : rollup_job_catalogue()) {
        if (!job_reads(job, table)) {
            continue;
        }
        for (const char* source : job.sources) {
            if (std::find(tables.begin(), tables.end(), source) == tables.end()) {
                tables.emplace_back(source);
            }
        }
    }
    return tables;
}

} // namespace analytics::storage
