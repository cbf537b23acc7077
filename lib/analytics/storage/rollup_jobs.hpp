#pragma once

// The rollup jobs (SPEC §2 `rollup`) and the raw tables each one reads: a
// row arriving for a day a job has already rolled up marks that day dirty.

#include <string>
#include <vector>

namespace analytics::storage {

// ogc: ogc_summary_hourly/daily/monthly; api_usage: daily_api_usage_metrics;
// search: daily_search_metrics; resource: daily_resource_metrics.
inline const std::vector<std::string>& rollup_job_names() {
    static const std::vector<std::string> names{"ogc", "api_usage", "search", "resource"};
    return names;
}

// access_logs → ogc and api_usage; searches and search_impressions → search;
// events → resource.
inline std::vector<std::string> jobs_reading(const std::string& table) {
    if (table == "access_logs") {
        return {"ogc", "api_usage"};
    }
    if (table == "searches" || table == "search_impressions") {
        return {"search"};
    }
    if (table == "events") {
        return {"resource"};
    }
    return {};
}

} // namespace analytics::storage
