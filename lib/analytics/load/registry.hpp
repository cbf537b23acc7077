#pragma once

// Library-internal (uses libpqxx): the ingest registry, which remembers per
// input identity how far it was loaded (SPEC §2 `ingest`, exactly once).
// Positions are written in the transaction of the batch they end, so a
// crash never separates rows from the position that covers them.

#include <analytics/db/session.hpp>
#include <analytics/ingest/sink.hpp>
#include <analytics/load/batch.hpp>

#include <pqxx/pqxx>

#include <string>

namespace analytics::load {

ingest::InputHistory read_history(pqxx::transaction_base& tx, const db::Session& session,
                                  const ingest::InputIdentity& input);

void record_position(pqxx::work& tx, const db::Session& session, const ingest::InputIdentity& input,
                     const std::string& format, const ingest::InputPosition& position,
                     std::uint64_t rows_stored, bool complete);

// Rejected lines of a registered input (input_id may be empty for others):
// recorded once per input, line and reason.
void record_rejects(pqxx::work& tx, const db::Session& session, const std::string& source,
                    const std::string& input_id, const std::vector<RejectedLine>& rejects);

} // namespace analytics::load
