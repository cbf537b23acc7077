#include <analytics/db/session_impl.hpp>
#include <analytics/enrich/rejected_text.hpp>
#include <analytics/ingest/record_builder.hpp>
#include <analytics/ingest/time_window.hpp>
#include <analytics/jobs/process_buffer.hpp>
#include <analytics/load/batch_loader.hpp>
#include <analytics/load/db_errors.hpp>
#include <analytics/load/registry.hpp>
#include <analytics/load/visitor_salts.hpp>
#include <analytics/parse/access_parser.hpp>
#include <analytics/storage/dropped_months.hpp>
#include <analytics/storage/rollup.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/log.hpp>

#include <algorithm>
#include <chrono>

namespace analytics::jobs {

using ingest::RunSummary;
using load::Batch;

namespace {

constexpr const char* buffer_source = "opentelemetry_buffer";

enum class RowOutcome { stored, rejected, set_aside };

// Turns buffer rows (as JSON objects) into enriched records.
class RowParser {
  public:
    RowParser(const config::Config& config, std::int64_t now_us)
        : m_zone(config.timezone),
          m_parser(parse::make_otel_parser(m_zone,
                                           config.parsers.otel_text_message_parser.active_regex())),
          m_window(config, now_us), m_builder(config), m_rejected_text(config) {}

    void set_dropped(storage::DroppedMonths dropped) { m_dropped = std::move(dropped); }

    // Adds the row's records to the batch; otherwise says why not. A row
    // with a record outside the accepted window is rejected whole, one with
    // a record of a dropped month set aside whole.
    RowOutcome parse(std::string_view row, Batch& batch, std::string& reason, RunSummary& summary) {
        if (!m_parser->parse(row, m_parsed, reason)) {
            return RowOutcome::rejected;
        }
        if (m_parsed.size() == 0) {
            reason =
                m_parsed.rejects().empty() ? "no log record in the row" : m_parsed.rejects()[0];
            return RowOutcome::rejected;
        }
        for (std::size_t i = 0; i < m_parsed.size(); ++i) {
            const std::int64_t ts_us = m_parsed[i].record.ts_us;
            reason = m_window.refuse(ts_us);
            if (!reason.empty()) {
                return RowOutcome::rejected;
            }
            if (const auto* month = m_dropped.refusing("access_logs", ts_us)) {
                reason = storage::dropped_reason(*month);
                return RowOutcome::set_aside;
            }
        }
        m_builder.build(m_parsed, row, 0, [&](const record::AccessRecord& record) {
            batch.add(record);
            ++summary.records;
        });
        m_builder.move_warnings(summary);
        return RowOutcome::stored;
    }

    const time::LocalZone& zone() const noexcept { return m_zone; }

    void set_visitor_salts(enrich::SaltSource salts) {
        m_builder.set_visitor_salts(m_zone, std::move(salts));
    }

    // A refused row as ingest_rejects keeps it: redacted like a record.
    load::RejectedLine rejected(const std::string& reason, std::string_view row) const {
        return {0, reason, m_rejected_text(row)};
    }

  private:
    time::LocalZone m_zone;
    std::unique_ptr<parse::AccessParser> m_parser;
    ingest::TimeWindow m_window;
    storage::DroppedMonths m_dropped;
    ingest::RecordBuilder m_builder;
    enrich::RejectedText m_rejected_text;
    parse::ParsedBatch m_parsed;
};

// {"(0,1)","(0,2)"}: a tid[] literal.
std::string tid_array(const std::vector<std::string>& ctids) {
    std::string out = "{";
    for (const auto& ctid : ctids) {
        out += out.size() > 1 ? ",\"" : "\"";
        out += ctid + "\"";
    }
    return out + "}";
}

// How many rows the next FETCH may take: as many as room bytes hold at the
// mean size of the rows seen, at least one, at most max_rows.
std::size_t rows_that_fit(std::size_t bytes_seen, std::size_t rows_seen, std::size_t room,
                          std::size_t max_rows) {
    const std::size_t mean =
        std::max<std::size_t>(1, bytes_seen / std::max<std::size_t>(1, rows_seen));
    return std::clamp<std::size_t>(room / mean, 1, std::max<std::size_t>(1, max_rows));
}

// The rows one batch takes: at most batch_size rows and about
// load::max_batch_bytes of their text, whichever comes first. A cursor with
// FOR UPDATE locks the rows as they are fetched, so the rows left unread stay
// free for a concurrent run and for the next batch.
struct BufferRows {
    std::vector<std::string> ctids;
    std::vector<std::string> texts;
    bool full = false; // stopped at a bound: more rows may wait
};

BufferRows take_rows(pqxx::work& tx, db::Session& session, std::size_t batch_size) {
    tx.exec_params("DECLARE analytics_take NO SCROLL CURSOR FOR SELECT ctid::text, "
                   "to_jsonb(b)::text FROM " +
                       db::qualified(session, buffer_source) +
                       " b ORDER BY \"timestamp\" LIMIT $1 FOR UPDATE SKIP LOCKED",
                   batch_size);
    BufferRows taken;
    std::size_t bytes = 0;
    std::size_t fetch = 1; // then as many as the mean row size allows
    while (taken.texts.size() < batch_size && bytes < load::max_batch_bytes) {
        const auto rows = tx.exec("FETCH " + std::to_string(fetch) + " FROM analytics_take");
        for (const auto& row : rows) {
            taken.ctids.push_back(row[0].as<std::string>());
            taken.texts.push_back(row[1].as<std::string>());
            bytes += taken.texts.back().size();
        }
        if (rows.size() < fetch) {
            break; // the buffer holds no more
        }
        if (bytes < load::max_batch_bytes && taken.texts.size() < batch_size) {
            fetch = rows_that_fit(bytes, taken.texts.size(), load::max_batch_bytes - bytes,
                                  batch_size - taken.texts.size());
        }
    }
    taken.full = taken.texts.size() >= batch_size || bytes >= load::max_batch_bytes;
    tx.exec("CLOSE analytics_take");
    return taken;
}

// One transaction: take a batch of rows, store their records, move the bad
// ones to ingest_rejects, delete them all. False when the buffer was drained
// (the batch stopped short of its bounds).
bool process_batch(db::Session& session, load::PartitionKeeper& keeper, RowParser& parser,
                   const ProcessOptions& options, RunSummary& summary) {
    pqxx::work tx{session.impl().connection};
    BufferRows taken = take_rows(tx, session, options.batch_size);
    if (taken.texts.empty()) {
        return false;
    }
    Batch batch(parser.zone());
    std::vector<load::RejectedLine> rejects;
    std::vector<std::size_t> rows_of_record; // buffer row of each record, for refusals
    const auto& texts = taken.texts;
    std::string reason;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const RowOutcome outcome = parser.parse(texts[i], batch, reason, summary);
        if (outcome != RowOutcome::stored) {
            rejects.push_back(parser.rejected(reason, texts[i]));
            if (outcome == RowOutcome::set_aside) {
                ++summary.set_aside;
            } else {
                summary.count_reject(reason);
            }
            continue;
        }
        rows_of_record.resize(batch.rows(load::Table::access_logs).rows, i);
    }
    summary.rows += texts.size();
    // Partitions are created on the other connection: this transaction holds
    // no lock on access_logs yet.
    summary.partitions_created += keeper.ensure(batch);
    const auto outcome = load::write_batch(tx, session, batch, load::WriteMode::savepoint);
    for (const auto& failure : outcome.failures) {
        const std::string why = "refused by the database: " + failure.error;
        rejects.push_back(parser.rejected(why, texts[rows_of_record[failure.row]]));
        summary.count_reject(why);
        log::warn("opentelemetry_buffer: " + why);
    }
    load::record_rejects(tx, session, buffer_source, "", rejects);
    tx.exec_params("DELETE FROM " + db::qualified(session, buffer_source) +
                       " WHERE ctid = ANY ($1::tid[])",
                   tid_array(taken.ctids));
    tx.commit();
    summary.stored += outcome.stored;
    summary.duplicates += outcome.duplicates;
    summary.dirty_days += outcome.dirty_days;
    ++summary.batches;
    return taken.full;
}

// --dry-run: read every row through a cursor, parse, count; change nothing.
void dry_run(db::Session& session, RowParser& parser, const ProcessOptions& options,
             RunSummary& summary) {
    pqxx::read_transaction tx{session.impl().connection};
    tx.exec("DECLARE analytics_buffer NO SCROLL CURSOR FOR SELECT to_jsonb(b)::text FROM " +
            db::qualified(session, buffer_source) + " b ORDER BY \"timestamp\"");
    Batch batch(parser.zone());
    std::string reason;
    std::size_t fetch = 1;
    for (;;) {
        const auto rows = tx.exec("FETCH " + std::to_string(fetch) + " FROM analytics_buffer");
        if (rows.empty()) {
            break;
        }
        std::size_t bytes = 0;
        for (const auto& row : rows) {
            const std::string text = row[0].as<std::string>();
            bytes += text.size();
            const RowOutcome outcome = parser.parse(text, batch, reason, summary);
            if (outcome == RowOutcome::set_aside) {
                ++summary.set_aside;
            } else if (outcome == RowOutcome::rejected) {
                summary.count_reject(reason);
            }
        }
        summary.rows += rows.size();
        batch.clear();
        fetch = rows_that_fit(bytes, rows.size(), load::max_batch_bytes, options.batch_size);
    }
}

} // namespace

RunSummary process_buffer(const db::OpenOptions& open, const config::Config& config,
                          const ProcessOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    RunSummary summary;
    summary.run = RunSummary::Run::process;
    summary.dry_run = options.dry_run;
    auto session = db::open_session(open);
    RowParser parser(config, options.now_us);
    if (!options.dry_run) {
        parser.set_visitor_salts(load::database_salts(open));
    }
    try {
        parser.set_dropped(storage::read_dropped_months(session, parser.zone()));
        if (options.dry_run) {
            dry_run(session, parser, options, summary);
        } else {
            auto ddl_options = open;
            ddl_options.command = open.command + "-ddl";
            auto ddl = db::open_session(ddl_options);
            load::PartitionKeeper keeper(ddl);
            // A short batch means the buffer was drained: rows that keep
            // arriving are left for the next run instead of chasing them.
            while (process_batch(session, keeper, parser, options, summary)) {
            }
            // Fresh within the hour (SPEC §9): the hourly rollups hold
            // today's completed hours after a process too.
            if (options.today_hours && summary.stored > 0) {
                storage::RollupOptions hours;
                hours.today_only = true;
                hours.now_us = ingest::now_or(options.now_us);
                const auto rolled = storage::rollup(session, config, hours);
                for (const auto& job : rolled.jobs) {
                    if (!job.error.empty()) {
                        log::warn("hourly rollup of today (" + job.job + "): " + job.error);
                    }
                }
            }
        }
    } catch (const pqxx::failure&) {
        load::rethrow_database_error(session.impl().connection, "processing the buffer",
                                     "the current batch is still in the buffer; a re-run takes it");
    }
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

} // namespace analytics::jobs
