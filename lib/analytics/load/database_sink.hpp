#pragma once

// The database sink of `ingest` (SPEC §2): records go to their tables in
// batches; each batch is committed with the registry position of its last
// line, so a kill at any moment loses nothing and stores nothing twice.
// A database thread loads batch k while the caller parses the next ones.

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>
#include <analytics/ingest/sink.hpp>

#include <memory>

namespace analytics::load {

// `session` must outlive the sink. batch_size: rows per committed batch.
std::unique_ptr<ingest::RecordSink>
make_database_sink(db::Session& session, const config::Config& config, std::size_t batch_size);

} // namespace analytics::load
