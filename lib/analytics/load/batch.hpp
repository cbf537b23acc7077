#pragma once

// One batch of rows on its way to the database, already in COPY text form,
// with what loading it needs to know: the months (partitions) and local days
// (dirty rollups) it touches, and the input lines it rejected.

#include <analytics/parse/event_rows.hpp>
#include <analytics/record/access_record.hpp>
#include <analytics/storage/calendar.hpp>
#include <analytics/time/local_zone.hpp>

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace analytics::load {

// In the order of storage::raw_tables(), which names them.
enum class Table : std::uint8_t { access_logs, searches, search_impressions, events };
constexpr std::size_t table_count = 4;

const char* table_name(Table table) noexcept;
const char* key_column(Table table) noexcept; // the partition key
const char* copy_columns(Table table) noexcept;

struct RejectedLine {
    std::uint64_t line = 0;
    std::string reason;
    // As enrich::RejectedText keeps it (the producer redacts: ingest, process):
    // valid UTF-8, no NUL, no secrets, at most 4,096 characters.
    std::string text;
};

// A batch is full at this many bytes, whatever its row count (every writer:
// ingest's queue of batches, process's buffer rows), so that memory stays
// bounded however long each row is.
inline constexpr std::size_t max_batch_bytes = 16u << 20;

class Batch {
  public:
    explicit Batch(const time::LocalZone& zone) : m_zone(&zone) {}

    void add(const record::AccessRecord& record);
    void add(const parse::SearchRow& row);
    void add(const parse::ImpressionRow& row);
    void add(const parse::EventRow& row);
    void add_reject(std::uint64_t line, const std::string& reason, std::string_view text);
    // A row append_copy_row wrote already (on a worker of ingest --jobs).
    void add_encoded(Table table, std::int64_t ts_us, std::string_view copy_row);

    struct TableRows {
        std::string text; // COPY rows, one per "\n"-terminated line
        std::size_t rows = 0;
        std::vector<storage::MonthSpan> months; // distinct local months
        std::set<std::int64_t> days;            // distinct local days
    };

    const TableRows& rows(Table table) const noexcept {
        return m_tables[static_cast<std::size_t>(table)];
    }

    std::size_t row_count() const noexcept;
    // Bytes of COPY text and kept rejects: what the batch holds in memory.
    std::size_t byte_size() const noexcept;

    const std::vector<RejectedLine>& rejects() const noexcept { return m_rejects; }

    bool empty() const noexcept { return row_count() == 0 && m_rejects.empty(); }

    void clear();

  private:
    TableRows& note(Table table, std::int64_t ts_us);

    // The local day last seen per table, to avoid a zone lookup per row.
    struct DayCache {
        std::int64_t from_us = 1;
        std::int64_t to_us = 0;
    };

    const time::LocalZone* m_zone;
    std::array<TableRows, table_count> m_tables;
    std::array<DayCache, table_count> m_day_cache;
    std::vector<RejectedLine> m_rejects;
    std::string m_scratch;
};

} // namespace analytics::load
