#pragma once

// The raw months retention dropped (table dropped_months): the facts that
// keep late rows out of them and keep their days' rollups as they are.

#include <analytics/db/session.hpp>
#include <analytics/storage/calendar.hpp>
#include <analytics/time/local_zone.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace analytics::storage {

struct DroppedMonth {
    std::string table;
    MonthSpan span;
    std::string dropped_on; // YYYY-MM-DD, local
};

class DroppedMonths {
  public:
    DroppedMonths() = default;

    explicit DroppedMonths(std::vector<DroppedMonth> months) : m_months(std::move(months)) {}

    // The drop that keeps a row of `table` at `ts_us` out: its month dropped
    // from `table` or from a table rolled up with it (rollup_jobs.hpp).
    const DroppedMonth* refusing(const std::string& table, std::int64_t ts_us) const;

    // The drop that freezes a local day of a job reading `sources`.
    const DroppedMonth* freezing(const std::vector<const char*>& sources, std::int64_t ts_us) const;

    bool empty() const noexcept { return m_months.empty(); }

  private:
    std::vector<DroppedMonth> m_months;
};

// Reads every recorded drop (in the dry run's transaction, if any).
DroppedMonths read_dropped_months(db::Session& session, const time::LocalZone& zone);

// "its month (access_logs 2026-10) was rolled up and dropped on 2026-12-01"
std::string dropped_reason(const DroppedMonth& month);

} // namespace analytics::storage
