#pragma once

// Library-internal (uses libpqxx): writes a Batch inside a caller's
// transaction, at the speed of COPY when nothing is already stored, and
// row-exact otherwise:
//   1. COPY straight into the table (under a savepoint, or retried by the caller);
//   2. on a unique violation (rows already stored): COPY into a temporary
//      stage table, then INSERT … ON CONFLICT DO NOTHING;
//   3. on a data error: find the bad rows by halving, report them, load the rest.
// Then the local days that received rows and were already rolled up are
// marked dirty, in the same transaction.

#include <analytics/db/session.hpp>
#include <analytics/load/batch.hpp>
#include <analytics/storage/partitions.hpp>

#include <pqxx/pqxx>
#include <pqxx/tablewriter>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace analytics::load {

struct RowFailure {
    Table table;
    std::size_t row = 0; // 0-based, in the order rows were added
    std::string error;
};

struct WriteOutcome {
    std::uint64_t stored = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t dirty_days = 0;
    std::vector<RowFailure> failures;
    // DirtyMarks::by_caller: the days (YYYY-MM-DD) each table received rows
    // on, for mark_dirty_days(tx, session, outcome).
    std::vector<std::pair<Table, std::vector<std::string>>> days;
};

// When write_batch marks the rolled-up days it wrote to as dirty: at once,
// or later in the same transaction by the caller (the database sink, whose
// parallel loaders mark them in commit order: two transactions inserting the
// same mark wait for each other).
enum class DirtyMarks { now, by_caller };

// Creates the monthly partitions a batch needs, on a connection that is not
// inside a transaction (creating one locks the parent table).
class PartitionKeeper {
  public:
    explicit PartitionKeeper(db::Session& session) : m_session(session) {}

    // Returns the number of partitions created.
    std::size_t ensure(const Batch& batch);

  private:
    bool covered(const std::vector<storage::PartitionInfo>& known, const storage::MonthSpan& m);

    db::Session& m_session;
    std::map<std::string, std::vector<storage::PartitionInfo>> m_known;
};

enum class WriteMode {
    // COPY straight into the tables; any error aborts the transaction (the
    // caller then retries in a new one with `exact`). The fastest: for a
    // transaction that holds nothing else.
    direct,
    // COPY under a savepoint, falling back to the exact path in the same
    // transaction (process: its row locks must survive).
    savepoint,
    // Stage, then INSERT … ON CONFLICT DO NOTHING; bad rows isolated.
    exact,
};

// Writes every table of the batch in `tx` (which must not be committed by
// the caller before this returns). Rows of months without a partition make
// the batch fail: call PartitionKeeper::ensure first.
WriteOutcome write_batch(pqxx::work& tx, const db::Session& session, const Batch& batch,
                         WriteMode mode, DirtyMarks marks = DirtyMarks::now);

// COPYs rows (COPY text in copy_columns(table) order) into `target`.
void copy_rows(pqxx::transaction_base& tx, const std::string& target, Table table,
               std::string_view rows);

// A temporary table shaped like `table`, created if needed, emptied; rows
// vanish at commit. Returns its quoted name.
std::string empty_stage(pqxx::work& tx, const db::Session& session, const std::string& name,
                        Table table);

// Records the days (YYYY-MM-DD) that received rows of `table` and were
// already rolled up by a job reading it; returns how many were new. The
// transaction must hold the days' write locks (storage/rollup_locks.hpp).
std::uint64_t mark_dirty_days(pqxx::work& tx, const db::Session& session, Table table,
                              const std::vector<std::string>& days);

// The same for outcome.days (DirtyMarks::by_caller); adds to outcome.dirty_days.
void mark_dirty_days(pqxx::work& tx, const db::Session& session, WriteOutcome& outcome);

} // namespace analytics::load
