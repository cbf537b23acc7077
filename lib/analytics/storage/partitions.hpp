#pragma once

// Monthly partitions of the raw tables (SPEC §2 `ensure-partitions`):
// named <table>_pYYYYMM, bounded at local midnight of the 1st in `timezone`.
// Used by ensure-partitions and by every load, which creates a missing month
// on the fly so that no row is ever refused.

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>
#include <analytics/storage/calendar.hpp>
#include <analytics/storage/tables.hpp>

namespace pqxx {
class transaction_base;
}

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace analytics::storage {

// access_logs (ts), searches, search_impressions, events (occurred_at).
inline const std::vector<RawTable>& partitioned_tables() {
    return raw_tables();
}

// The retention of a raw table in days (config retention.*); nullopt: forever.
std::optional<int> retention_days(const config::Config& config, const std::string& table);

// access_logs_p202611
std::string partition_name(const std::string& table, int year, unsigned month);

// One existing partition; an open bound (MINVALUE / MAXVALUE) is nullopt.
struct PartitionInfo {
    std::string name;
    std::optional<std::int64_t> from_us;
    std::optional<std::int64_t> to_us;
    bool is_default = false;

    bool contains(std::int64_t ts_us) const noexcept {
        return is_default || ((!from_us || ts_us >= *from_us) && (!to_us || ts_us < *to_us));
    }
};

std::vector<PartitionInfo> list_partitions(db::Session& session, const std::string& table);

enum class PartitionCreation {
    created,
    existed, // one already holds the month's first instant (made meanwhile by another run)
    dropped, // retention dropped the month (dropped_months): it is never created again
};

// Creates the partition of `month` unless one already holds its first
// instant or the month was dropped. Serialised across processes (and with
// retention's drops) by an advisory lock, so concurrent callers are safe.
// Runs in its own transaction: the session must not be in one.
// `in_dropped_month` creates it even for a month recorded as dropped: only
// for migrate --adopt, which copies the raw rows of the month whose
// rollups it keeps from geOrchestra's aggregates.
PartitionCreation create_month_partition(db::Session& session, const std::string& table,
                                         const MonthSpan& month, bool in_dropped_month = false);

// The lock create_month_partition holds, for retention's drops.
void lock_partitions_of(pqxx::transaction_base& tx, const db::Session& session,
                        const std::string& table);

} // namespace analytics::storage
