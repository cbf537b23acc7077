#include <analytics/db/session_impl.hpp>
#include <analytics/enrich/enricher.hpp>
#include <analytics/enrich/user_agent.hpp>
#include <analytics/ingest/pipeline.hpp>
#include <analytics/ingest/record_id.hpp>
#include <analytics/ingest/time_window.hpp>
#include <analytics/load/batch_loader.hpp>
#include <analytics/load/buffer_processor.hpp>
#include <analytics/load/db_errors.hpp>
#include <analytics/load/registry.hpp>
#include <analytics/parse/access_parser.hpp>
#include <analytics/storage/dropped_months.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/json_text.hpp>
#include <analytics/util/log.hpp>
#include <analytics/util/text.hpp>

#include <chrono>
#include <cstdio>
#include <sstream>

namespace analytics::load {

namespace {

constexpr const char* buffer_source = "opentelemetry_buffer";

enum class RowOutcome { stored, rejected, set_aside };

// Turns buffer rows (as JSON objects) into enriched records.
class RowParser {
  public:
    RowParser(const config::Config& config, std::int64_t now_us)
        : m_zone(config.timezone), m_parser(parse::make_otel_parser(m_zone)),
          m_window(config, now_us) {
        if (!config.user_agent.regexes_file.empty()) {
            m_user_agents =
                std::make_unique<enrich::UserAgentParser>(config.user_agent.regexes_file);
        }
        m_enricher = std::make_unique<enrich::Enricher>(config, m_user_agents.get());
    }

    void set_dropped(storage::DroppedMonths dropped) { m_dropped = std::move(dropped); }

    // Adds the row's records to the batch; otherwise says why not. A row
    // with a record outside the accepted window is rejected whole, one with
    // a record of a dropped month set aside whole.
    RowOutcome parse(std::string_view row, Batch& batch, std::string& reason,
                     ProcessSummary& summary) {
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
        ingest::assign_ids(m_parsed, row, m_occurrences);
        for (std::size_t i = 0; i < m_parsed.size(); ++i) {
            auto& item = m_parsed[i];
            m_enricher->enrich(item.record, item.extras, m_warnings);
            batch.add(item.record);
            ++summary.records;
        }
        for (const auto& [what, count] : m_warnings.counts) {
            summary.warnings[what] += count;
        }
        m_warnings.counts.clear();
        return RowOutcome::stored;
    }

    const time::LocalZone& zone() const noexcept { return m_zone; }

  private:
    time::LocalZone m_zone;
    std::unique_ptr<parse::AccessParser> m_parser;
    ingest::TimeWindow m_window;
    storage::DroppedMonths m_dropped;
    std::unique_ptr<enrich::UserAgentParser> m_user_agents;
    std::unique_ptr<enrich::Enricher> m_enricher;
    ingest::OccurrenceCounter m_occurrences;
    parse::ParsedBatch m_parsed;
    enrich::EnrichWarnings m_warnings;
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

void count_reject(ProcessSummary& summary, const std::string& reason) {
    ++summary.rejected;
    ++summary.rejects_by_reason[ingest::reject_category(reason)];
}

// One transaction: take a batch of rows, store their records, move the bad
// ones to ingest_rejects, delete them all. Returns the number of rows taken.
std::size_t process_batch(db::Session& session, PartitionKeeper& keeper, RowParser& parser,
                          const ProcessOptions& options, ProcessSummary& summary) {
    pqxx::work tx{session.impl().connection};
    const auto rows = tx.exec_params(
        "SELECT ctid::text, to_jsonb(b)::text FROM " + db::qualified(session, buffer_source) +
            " b ORDER BY \"timestamp\" LIMIT $1 FOR UPDATE SKIP LOCKED",
        options.batch_size);
    if (rows.empty()) {
        return 0;
    }
    Batch batch(parser.zone());
    std::vector<std::string> ctids;
    std::vector<RejectedLine> rejects;
    std::vector<std::size_t> rows_of_record; // buffer row of each record, for refusals
    std::vector<std::string> texts;
    std::string reason;
    for (const auto& row : rows) {
        ctids.push_back(row[0].as<std::string>());
        texts.push_back(row[1].as<std::string>());
        const RowOutcome outcome = parser.parse(texts.back(), batch, reason, summary);
        if (outcome != RowOutcome::stored) {
            rejects.push_back(make_rejected_line(0, reason, texts.back()));
            if (outcome == RowOutcome::set_aside) {
                ++summary.set_aside;
            } else {
                count_reject(summary, reason);
            }
            continue;
        }
        rows_of_record.resize(batch.rows(Table::access_logs).rows, texts.size() - 1);
    }
    summary.rows += rows.size();
    // Partitions are created on the other connection: this transaction holds
    // no lock on access_logs yet.
    summary.partitions_created += keeper.ensure(batch);
    const auto outcome = write_batch(tx, session, batch, WriteMode::savepoint);
    for (const auto& failure : outcome.failures) {
        const std::string why = "refused by the database: " + failure.error;
        rejects.push_back(make_rejected_line(0, why, texts[rows_of_record[failure.row]]));
        count_reject(summary, why);
        log::warn("opentelemetry_buffer: " + why);
    }
    record_rejects(tx, session, buffer_source, "", rejects);
    tx.exec_params("DELETE FROM " + db::qualified(session, buffer_source) +
                       " WHERE ctid = ANY ($1::tid[])",
                   tid_array(ctids));
    tx.commit();
    summary.stored += outcome.stored;
    summary.duplicates += outcome.duplicates;
    summary.dirty_days += outcome.dirty_days;
    ++summary.batches;
    return rows.size();
}

// --dry-run: read every row through a cursor, parse, count; change nothing.
void dry_run(db::Session& session, RowParser& parser, const ProcessOptions& options,
             ProcessSummary& summary) {
    pqxx::read_transaction tx{session.impl().connection};
    tx.exec("DECLARE analytics_buffer NO SCROLL CURSOR FOR SELECT to_jsonb(b)::text FROM " +
            db::qualified(session, buffer_source) + " b ORDER BY \"timestamp\"");
    Batch batch(parser.zone());
    std::string reason;
    for (;;) {
        const auto rows =
            tx.exec("FETCH " + std::to_string(options.batch_size) + " FROM analytics_buffer");
        if (rows.empty()) {
            break;
        }
        for (const auto& row : rows) {
            const RowOutcome outcome =
                parser.parse(row[0].as<std::string>(), batch, reason, summary);
            if (outcome == RowOutcome::set_aside) {
                ++summary.set_aside;
            } else if (outcome == RowOutcome::rejected) {
                count_reject(summary, reason);
            }
        }
        summary.rows += rows.size();
        batch.clear();
    }
}

} // namespace

ProcessSummary process_buffer(const db::OpenOptions& open, const config::Config& config,
                              const ProcessOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    ProcessSummary summary;
    summary.dry_run = options.dry_run;
    auto session = db::open_session(open);
    RowParser parser(config, options.now_us);
    try {
        parser.set_dropped(storage::read_dropped_months(session, parser.zone()));
        if (options.dry_run) {
            dry_run(session, parser, options, summary);
        } else {
            auto ddl_options = open;
            ddl_options.command = open.command + "-ddl";
            auto ddl = db::open_session(ddl_options);
            PartitionKeeper keeper(ddl);
            // A short batch means the buffer was drained: rows that keep
            // arriving are left for the next run instead of chasing them.
            while (process_batch(session, keeper, parser, options, summary) == options.batch_size) {
            }
        }
    } catch (const pqxx::failure&) {
        rethrow_database_error(session.impl().connection, "processing the buffer",
                               "the current batch is still in the buffer; a re-run takes it");
    }
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

std::string ProcessSummary::to_text() const {
    std::ostringstream out;
    out << (dry_run ? "process (dry run): " : "process: ")
        << with_thousands(static_cast<std::int64_t>(rows)) << " buffer rows, "
        << with_thousands(static_cast<std::int64_t>(records)) << " records";
    if (!dry_run) {
        out << ", " << with_thousands(static_cast<std::int64_t>(stored)) << " stored, "
            << with_thousands(static_cast<std::int64_t>(duplicates)) << " duplicates";
    }
    char tail[64];
    std::snprintf(tail, sizeof tail, ", %s rejected, %.2f s\n",
                  with_thousands(static_cast<std::int64_t>(rejected)).c_str(), seconds);
    out << tail;
    if (set_aside > 0) {
        out << "  set aside " << with_thousands(static_cast<std::int64_t>(set_aside))
            << " rows of months already rolled up and dropped: moved to ingest_rejects, not "
               "counted as rejects\n";
    }
    if (!dry_run) {
        out << "  " << batches << " batches, " << partitions_created << " partitions created, "
            << dirty_days << " days marked for rollup\n";
    }
    for (const auto& [reason, count] : rejects_by_reason) {
        out << "  rejected: " << reason << ": " << count << "\n";
    }
    for (const auto& [warning, count] : warnings) {
        out << "  warning: " << warning << ": " << count << "\n";
    }
    return out.str();
}

std::string ProcessSummary::to_json() const {
    std::string out = "{\"dry_run\":";
    out += dry_run ? "true" : "false";
    auto field = [&out](const char* key, std::uint64_t value) {
        out += ",\"";
        out += key;
        out += "\":" + std::to_string(value);
    };
    field("rows", rows);
    field("records", records);
    field("stored", stored);
    field("duplicates", duplicates);
    field("rejected", rejected);
    field("set_aside", set_aside);
    field("batches", batches);
    field("partitions_created", partitions_created);
    field("dirty_days", dirty_days);
    append_json_counts(out, "rejects", rejects_by_reason);
    append_json_counts(out, "warnings", warnings);
    char tail[48];
    std::snprintf(tail, sizeof tail, ",\"seconds\":%.3f}", seconds);
    return out + tail;
}

} // namespace analytics::load
