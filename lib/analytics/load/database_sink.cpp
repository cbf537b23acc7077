#include <analytics/db/error_table.hpp>
#include <analytics/db/session_impl.hpp>
#include <analytics/ingest/run_summary.hpp>
#include <analytics/ingest/time_window.hpp>
#include <analytics/load/batch_loader.hpp>
#include <analytics/load/copy_text.hpp>
#include <analytics/load/database_sink.hpp>
#include <analytics/load/db_errors.hpp>
#include <analytics/load/registry.hpp>
#include <analytics/storage/dropped_months.hpp>
#include <analytics/storage/partitions.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/log.hpp>

#include <climits>

#include <array>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace analytics::load {

namespace {

// A batch and where it ends.
struct Job {
    std::unique_ptr<Batch> batch;
    ingest::InputIdentity input;
    std::string format;
    ingest::InputPosition position;
    bool complete = false;
};

class DatabaseSink final : public ingest::RecordSink {
  public:
    DatabaseSink(db::Session& session, const config::Config& config, std::size_t batch_size,
                 std::int64_t now_us)
        : m_session(session), m_zone(config.timezone), m_batch_size(batch_size), m_keeper(session) {
        m_current = std::make_unique<Batch>(m_zone);
        try {
            m_dropped = storage::read_dropped_months(session, m_zone);
        } catch (const pqxx::failure&) {
            rethrow_database_error(session.impl().connection, "reading dropped_months",
                                   "nothing was stored");
        }
        // Rows before the first month still inside a table's retention.
        const std::int64_t today = storage::local_day(m_zone, ingest::now_or(now_us));
        for (std::size_t t = 0; t < table_count; ++t) {
            const auto days = storage::retention_days(config, table_name(static_cast<Table>(t)));
            if (days) {
                const std::int64_t cutoff_day = today - *days;
                m_expiry[t] = {
                    storage::month_of(m_zone, m_zone.to_utc(cutoff_day * storage::us_per_day))
                        .from_us,
                    *days, 0};
            }
        }
        // A batch and its registry position commit together, so a commit
        // lost in a server crash loses both: the next run loads that batch
        // again. Waiting for each commit's WAL flush buys nothing here.
        pqxx::nontransaction tx{session.impl().connection};
        tx.exec("SET synchronous_commit = off");
        m_worker = std::thread([this] { work(); });
    }

    ~DatabaseSink() override {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_changed.notify_all();
        m_worker.join();
    }

    DatabaseSink(const DatabaseSink&) = delete;
    DatabaseSink& operator=(const DatabaseSink&) = delete;

    void access(const record::AccessRecord& record) override {
        note_expiring(Table::access_logs, record.ts_us);
        m_current->add(record);
    }

    // ingest --jobs: each worker writes its records' COPY rows, so the
    // pipeline's thread only appends them to the batch.
    bool encodes_access() const override { return true; }

    void encode(const record::AccessRecord& record, std::string& out) const override {
        thread_local std::string scratch;
        out.clear();
        append_copy_row(out, record, scratch);
    }

    void access_encoded(const record::AccessRecord& record, std::string_view encoded) override {
        note_expiring(Table::access_logs, record.ts_us);
        m_current->add_encoded(Table::access_logs, record.ts_us, encoded);
    }

    void search(const parse::SearchRow& row) override {
        note_expiring(Table::searches, row.occurred_at_us);
        m_current->add(row);
    }

    void impression(const parse::ImpressionRow& row) override {
        note_expiring(Table::search_impressions, row.occurred_at_us);
        m_current->add(row);
    }

    void event(const parse::EventRow& row) override {
        note_expiring(Table::events, row.occurred_at_us);
        m_current->add(row);
    }

    std::string set_aside(const char* table, std::int64_t ts_us) const override {
        const auto* month = m_dropped.refusing(table, ts_us);
        return month == nullptr ? std::string() : storage::dropped_reason(*month);
    }

    bool tracks_positions() const override { return true; }

    ingest::InputHistory open_input(const ingest::InputIdentity& input) override {
        wait_idle(); // the connection is ours while the worker is idle
        m_input = input;
        if (input.id.empty()) { // not remembered (stdin without --source-name)
            return {};
        }
        try {
            pqxx::read_transaction tx{m_session.impl().connection};
            return read_history(tx, m_session, input);
        } catch (const pqxx::failure&) {
            rethrow_database_error(m_session.impl().connection,
                                   "reading the registry for " + input.display,
                                   "nothing was stored");
        }
    }

    void reject(std::uint64_t line, const std::string& reason, std::string_view text) override {
        m_current->add_reject(line, reason, text);
    }

    bool batch_full() const override {
        return m_current->row_count() + m_current->rejects().size() >= m_batch_size ||
               m_current->byte_size() >= max_batch_bytes;
    }

    void checkpoint(const ingest::InputPosition& position, const std::string& format,
                    bool complete) override {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_queue.size() < max_queued || m_failure; });
        rethrow_failure();
        Job job;
        job.batch = std::move(m_current);
        job.input = m_input;
        job.format = format;
        job.position = position;
        job.complete = complete;
        m_queue.push_back(std::move(job));
        if (m_spares.empty()) {
            m_current = std::make_unique<Batch>(m_zone);
        } else {
            m_current = std::move(m_spares.back());
            m_spares.pop_back();
        }
        lock.unlock();
        m_changed.notify_all();
    }

    void finish() override { wait_idle(); }

    void raise_failure() override {
        std::lock_guard lock(m_mutex);
        rethrow_failure();
    }

    void add_totals(ingest::RunSummary& summary) const override {
        summary.loaded = true;
        summary.stored = m_stored;
        summary.duplicates = m_duplicates;
        summary.partitions_created = m_partitions;
        summary.dirty_days = m_dirty_days;
        summary.batches = m_batches;
        for (std::size_t t = 0; t < table_count; ++t) {
            if (m_expiry[t].rows > 0) {
                summary.expiring.push_back(
                    {table_name(static_cast<Table>(t)), m_expiry[t].rows, m_expiry[t].days});
            }
        }
        if (!m_refused.empty()) {
            summary.rejected += m_refused.size();
            summary.rejects_by_reason["refused by the database"] += m_refused.size();
        }
    }

  private:
    // A row older than its table's retention: the next maintain drops its month.
    void note_expiring(Table table, std::int64_t ts_us) {
        auto& expiry = m_expiry[static_cast<std::size_t>(table)];
        if (ts_us < expiry.before_us) {
            ++expiry.rows;
        }
    }

    void wait_idle() {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return (m_queue.empty() && !m_busy) || m_failure; });
        rethrow_failure();
    }

    void rethrow_failure() {
        if (m_failure) {
            std::rethrow_exception(m_failure);
        }
    }

    void work() {
        for (;;) {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
            if (m_queue.empty()) {
                return;
            }
            Job job = std::move(m_queue.front());
            m_queue.pop_front();
            m_busy = true;
            lock.unlock();
            m_changed.notify_all(); // room in the queue
            std::exception_ptr failure;
            try {
                load(job);
            } catch (...) {
                failure = std::current_exception();
            }
            job.batch->clear();
            lock.lock();
            m_spares.push_back(std::move(job.batch));
            m_busy = false;
            m_failure = failure;
            lock.unlock();
            m_changed.notify_all();
            if (failure) {
                return;
            }
        }
    }

    // One transaction: the rows, the rejected lines, the registry position.
    WriteOutcome commit_batch(const Job& job, WriteMode mode) {
        pqxx::work tx{m_session.impl().connection};
        auto outcome = write_batch(tx, m_session, *job.batch, mode);
        std::vector<RejectedLine> refused;
        for (const auto& failure : outcome.failures) {
            refused.push_back({0,
                               std::string("refused by the database: ") + failure.error + " (" +
                                   table_name(failure.table) + " row " +
                                   std::to_string(failure.row + 1) + " of the batch)",
                               ""});
        }
        record_rejects(tx, m_session, job.input.display, job.input.id, job.batch->rejects());
        record_rejects(tx, m_session, job.input.display, "", refused);
        if (!job.input.id.empty()) {
            record_position(tx, m_session, job.input, job.format, job.position, outcome.stored,
                            job.complete);
        }
        tx.commit();
        return outcome;
    }

    void load(Job& job) {
        const std::string where = job.input.display + " (batch ending at line " +
                                  std::to_string(job.position.lines) + ")";
        try {
            m_partitions += m_keeper.ensure(*job.batch);
            WriteOutcome outcome;
            try {
                outcome = commit_batch(job, WriteMode::direct);
            } catch (const pqxx::sql_error& e) {
                if (!db::bad_rows(e)) {
                    throw;
                }
                // Some rows are stored already, or refused: redo the batch exactly.
                outcome = commit_batch(job, WriteMode::exact);
            }
            m_stored += outcome.stored;
            m_duplicates += outcome.duplicates;
            m_dirty_days += outcome.dirty_days;
            ++m_batches;
            for (const auto& failure : outcome.failures) {
                log::warn(job.input.display + ": refused by the database: " + failure.error);
                m_refused.push_back(failure.error);
            }
        } catch (const pqxx::failure&) {
            rethrow_database_error(m_session.impl().connection, "loading " + where,
                                   "that batch was not stored; a re-run continues after the "
                                   "last stored batch");
        }
    }

    struct Expiry {
        std::int64_t before_us = INT64_MIN; // rows before this are past retention
        int days = 0;
        std::uint64_t rows = 0;
    };

    db::Session& m_session;
    time::LocalZone m_zone;
    storage::DroppedMonths m_dropped;
    std::array<Expiry, table_count> m_expiry{};
    std::size_t m_batch_size;
    PartitionKeeper m_keeper;
    ingest::InputIdentity m_input;
    std::unique_ptr<Batch> m_current;
    // Shared with the worker, under m_mutex.
    std::mutex m_mutex;
    std::condition_variable m_changed;
    // Batches waiting for the worker: a few, so that a slow commit (a
    // checkpoint) does not stall parsing.
    static constexpr std::size_t max_queued = 2;
    // With max_queued batches waiting and one being filled, loading holds at
    // most about 4 × max_batch_bytes (batch.hpp) of rows.
    std::deque<Job> m_queue;
    bool m_busy = false; // the worker is loading a batch
    std::vector<std::unique_ptr<Batch>> m_spares;
    std::exception_ptr m_failure;
    bool m_stopping = false;
    std::thread m_worker;
    // Worker-only until it is idle.
    std::uint64_t m_stored = 0, m_duplicates = 0, m_partitions = 0, m_dirty_days = 0, m_batches = 0;
    std::vector<std::string> m_refused;
};

} // namespace

std::unique_ptr<ingest::RecordSink> make_database_sink(db::Session& session,
                                                       const config::Config& config,
                                                       std::size_t batch_size,
                                                       std::int64_t now_us) {
    return std::make_unique<DatabaseSink>(session, config, batch_size, now_us);
}

} // namespace analytics::load
