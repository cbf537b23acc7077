#include <analytics/db/transaction_scope.hpp>
#include <analytics/storage/dropped_months.hpp>
#include <analytics/storage/rollup_jobs.hpp>

#include <algorithm>
#include <cstdio>

namespace analytics::storage {

const DroppedMonth* DroppedMonths::refusing(const std::string& table, std::int64_t ts_us) const {
    for (const auto& month : m_months) { // on the hot path: the span first
        if (!month.span.contains(ts_us)) {
            continue;
        }
        const auto tables = tables_rolled_up_with(table);
        if (month.table == table ||
            std::find(tables.begin(), tables.end(), month.table) != tables.end()) {
            return &month;
        }
    }
    return nullptr;
}

const DroppedMonth* DroppedMonths::freezing(const std::vector<const char*>& sources,
                                            std::int64_t ts_us) const {
    for (const auto& month : m_months) {
        if (month.span.contains(ts_us) &&
            std::any_of(sources.begin(), sources.end(),
                        [&month](const char* source) { return month.table == source; })) {
            return &month;
        }
    }
    return nullptr;
}

DroppedMonths read_dropped_months(db::Session& session, const time::LocalZone& zone) {
    return db::in_transaction(session, [&](pqxx::transaction_base& tx) {
        std::vector<DroppedMonth> months;
        for (const auto& row :
             tx.exec("SELECT table_name, extract(year FROM month)::int, "
                     "extract(month FROM month)::int, "
                     "(dropped_at AT TIME ZONE current_setting('TimeZone'))"
                     "::date::text FROM " +
                     db::qualified(session, "dropped_months") + " ORDER BY 1, 2, 3")) {
            DroppedMonth month;
            month.table = row[0].as<std::string>();
            month.span = month_span(zone, row[1].as<int>(), row[2].as<unsigned>());
            month.dropped_on = row[3].as<std::string>();
            months.push_back(std::move(month));
        }
        return DroppedMonths(std::move(months));
    });
}

std::string dropped_reason(const DroppedMonth& month) {
    char label[16];
    std::snprintf(label, sizeof label, "%04d-%02u", month.span.year, month.span.month);
    return "its month was rolled up and dropped: " + month.table + " " + label + ", dropped on " +
           month.dropped_on + "; the row is not stored, the month's rollups stand as they are";
}

} // namespace analytics::storage
