#pragma once

// Library-internal: how writers and the rollup stay exact when they overlap
// (SPEC §9: every row committed before a rollup starts is in the rollups
// after it; every row committed during it is in them after the next one).
//
// A writer (ingest, process, reprocess) takes, in the transaction that
// writes rows of a raw table, a SHARED advisory lock per local day it writes
// (hashed into a few slots), and only then decides which of those days are
// already rolled up and marks them dirty. The rollup of a day takes the
// same day's lock EXCLUSIVE in the transaction that replaces the day's rows,
// moves the checkpoint and clears the day's dirty mark. So either
//   - the writer committed first: the rollup's statements, which start after
//     it got the lock (READ COMMITTED: a new snapshot per statement), see
//     its rows; or
//   - the rollup committed first: the writer's dirty-marking statement,
//     which starts after it got the lock, sees the new checkpoint and marks
//     the day, and the next rollup recomputes it.
// A first checkpoint is created under an exclusive lock of one more slot,
// which every writer also takes shared, so that rows older than the first
// day found are either seen or marked dirty against it.
//
// Slots bound the locks a transaction holds, however many days it writes
// (days sharing a slot wait for each other, nothing more). Locks are taken
// in (table, slot) order, shared ones before any row is written, so writers
// and rollups never wait for each other in a cycle.

#include <analytics/db/session_impl.hpp>

#include <cstdint>
#include <set>
#include <string>

namespace analytics::storage {

// Shared: the days a writer writes into `table`, and the first-checkpoint slot.
void lock_days_for_writing(pqxx::transaction_base& tx, const db::Session& session,
                           const std::string& table, const std::set<std::int64_t>& days);

// Exclusive: one day of `table`, for its rollup.
void lock_day_for_rollup(pqxx::transaction_base& tx, const db::Session& session,
                         const std::string& table, std::int64_t day);

// Exclusive: the first-checkpoint slot of `table`.
void lock_first_checkpoint(pqxx::transaction_base& tx, const db::Session& session,
                           const std::string& table);

} // namespace analytics::storage
