#pragma once

// `ensure-partitions` (SPEC §2): for every partitioned raw table, the
// monthly partitions from max(now − history months, the oldest month still
// inside the table's retention) to now + future months, in `timezone`.

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace analytics::storage {

struct EnsuredPartition {
    std::string table;
    std::string name;     // <table>_pYYYYMM
    std::string month;    // YYYY-MM
    bool created = false; // false: it existed (or, in a dry run, would be created when !exists)
    bool exists = false;  // before this run
};

struct EnsureSummary {
    std::vector<EnsuredPartition> partitions; // every month in range, per table
    bool dry_run = false;
    double seconds = 0;

    std::size_t created() const;
    std::size_t missing() const; // would be created (dry run) or were
    std::string to_text() const;
    std::string to_json() const;
    nlohmann::ordered_json json_document() const; // what to_json writes
};

// The local months [first, last] a table keeps partitions for at `now_us`.
struct MonthRange {
    int first_year;
    unsigned first_month;
    int last_year;
    unsigned last_month;
};

MonthRange partition_months(const config::Config& config, const std::string& table,
                            std::int64_t now_us);

EnsureSummary ensure_partitions(db::Session& session, const config::Config& config,
                                std::int64_t now_us, bool dry_run);

} // namespace analytics::storage
