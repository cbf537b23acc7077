#pragma once

// The database sink of `ingest` (SPEC §2): records go to their tables in
// batches; each batch is committed with the registry position of its last
// line, so a kill at any moment loses nothing and stores nothing twice.
// Loader threads, each on its own connection (performance.load_connections),
// write batches while the caller parses the next ones; batches commit in
// input order, so that the registry positions stay exact.

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>
#include <analytics/ingest/sink.hpp>

#include <cstdint>
#include <memory>

namespace analytics::load {

// `session` must outlive the sink; the other loaders' connections are opened
// with `open`. batch_size: rows per committed batch; now_us: "now" for the
// retention notice (0: the clock). Rows of months that retention dropped are
// set aside (ingest::RecordSink::set_aside).
std::unique_ptr<ingest::RecordSink> make_database_sink(db::Session& session,
                                                       const db::OpenOptions& open,
                                                       const config::Config& config,
                                                       std::size_t batch_size, std::int64_t now_us);

} // namespace analytics::load
