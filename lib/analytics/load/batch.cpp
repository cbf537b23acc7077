#include <analytics/load/batch.hpp>
#include <analytics/load/copy_text.hpp>
#include <analytics/storage/tables.hpp>
#include <analytics/util/text.hpp>

#include <algorithm>

namespace analytics::load {

const char* table_name(Table table) noexcept {
    return storage::raw_tables()[static_cast<std::size_t>(table)].name;
}

const char* key_column(Table table) noexcept {
    return storage::raw_tables()[static_cast<std::size_t>(table)].key;
}

const char* copy_columns(Table table) noexcept {
    switch (table) {
    case Table::access_logs:
        return access_columns;
    case Table::searches:
        return search_columns;
    case Table::search_impressions:
        return impression_columns;
    case Table::events:
        return event_columns;
    }
    return "";
}

Batch::TableRows& Batch::note(Table table, std::int64_t ts_us) {
    const auto index = static_cast<std::size_t>(table);
    auto& rows = m_tables[index];
    ++rows.rows;
    auto& cache = m_day_cache[index];
    if (ts_us < cache.from_us || ts_us >= cache.to_us) {
        const std::int64_t day = storage::local_day(*m_zone, ts_us);
        rows.days.insert(day);
        cache.from_us = m_zone->to_utc(day * storage::us_per_day);
        cache.to_us = m_zone->to_utc((day + 1) * storage::us_per_day);
        const bool known = std::any_of(rows.months.begin(), rows.months.end(),
                                       [ts_us](const auto& m) { return m.contains(ts_us); });
        if (!known) {
            rows.months.push_back(storage::month_of(*m_zone, ts_us));
        }
    }
    return rows;
}

void Batch::add(const record::AccessRecord& record) {
    append_copy_row(note(Table::access_logs, record.ts_us).text, record, m_scratch);
}

void Batch::add_encoded(Table table, std::int64_t ts_us, std::string_view copy_row) {
    note(table, ts_us).text.append(copy_row);
}

void Batch::add(const parse::SearchRow& row) {
    append_copy_row(note(Table::searches, row.occurred_at_us).text, row);
}

void Batch::add(const parse::ImpressionRow& row) {
    append_copy_row(note(Table::search_impressions, row.occurred_at_us).text, row);
}

void Batch::add(const parse::EventRow& row) {
    append_copy_row(note(Table::events, row.occurred_at_us).text, row);
}

void Batch::add_reject(std::uint64_t line, const std::string& reason, std::string_view text) {
    m_rejects.push_back({line, reason, std::string(text)});
}

std::size_t Batch::byte_size() const noexcept {
    std::size_t bytes = 0;
    for (const auto& t : m_tables) {
        bytes += t.text.size();
    }
    for (const auto& reject : m_rejects) {
        bytes += reject.text.size() + reject.reason.size();
    }
    return bytes;
}

std::size_t Batch::row_count() const noexcept {
    std::size_t n = 0;
    for (const auto& t : m_tables) {
        n += t.rows;
    }
    return n;
}

void Batch::clear() {
    for (auto& t : m_tables) {
        t.text.clear();
        t.rows = 0;
        t.months.clear();
        t.days.clear();
    }
    m_day_cache = {};
    m_rejects.clear();
}

} // namespace analytics::load
