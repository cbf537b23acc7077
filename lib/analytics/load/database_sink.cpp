#include <analytics/db/error_table.hpp>
#include <analytics/db/session_impl.hpp>
#include <analytics/db/statements.hpp>
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

#include <algorithm>
#include <array>
#include <chrono>
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
    std::uint64_t sequence = 0; // commit order: the order of the checkpoints
    std::unique_ptr<Batch> batch;
    ingest::InputIdentity input;
    std::string format;
    ingest::InputPosition position;
    bool complete = false;
};

// A loading connection, its own partition keeper, and its thread.
struct Loader {
    std::optional<db::Session> own; // the sink's session for the first loader
    db::Session* session = nullptr;
    std::unique_ptr<PartitionKeeper> keeper;
    std::thread thread;
    int backend_pid = 0;
    std::optional<std::uint64_t> sequence; // of its batch, under the sink's mutex
};

// Thrown in a loader whose batch may not commit because an earlier one failed.
struct Abandoned {};

class DatabaseSink final : public ingest::RecordSink {
  public:
    DatabaseSink(db::Session& session, const db::OpenOptions& open, const config::Config& config,
                 std::size_t batch_size, std::int64_t now_us)
        : m_session(session), m_zone(config.timezone), m_batch_size(batch_size),
          m_loaders(static_cast<std::size_t>(config.performance.load_connections)) {
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
        for (std::size_t i = 0; i < m_loaders.size(); ++i) {
            Loader& loader = m_loaders[i];
            if (i == 0) {
                loader.session = &session;
            } else {
                loader.session = &loader.own.emplace(db::open_session(open));
            }
            loader.keeper = std::make_unique<PartitionKeeper>(*loader.session);
            loader.backend_pid = loader.session->impl().connection.backendpid();
            // A batch and its registry position commit together, so a commit
            // lost in a server crash loses both: the next run loads that
            // batch again. Waiting for each commit's WAL flush buys nothing.
            pqxx::nontransaction tx{loader.session->impl().connection};
            tx.exec("SET synchronous_commit = off");
        }
        for (auto& loader : m_loaders) {
            loader.thread = std::thread([this, &loader] { work(loader); });
        }
    }

    ~DatabaseSink() override {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_changed.notify_all();
        for (auto& loader : m_loaders) {
            loader.thread.join();
        }
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

    void access_encoded(std::int64_t ts_us, std::string_view encoded) override {
        note_expiring(Table::access_logs, ts_us);
        m_current->add_encoded(Table::access_logs, ts_us, encoded);
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
        wait_idle(); // the connection is ours while the loaders are idle
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
        job.sequence = m_submitted++;
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
        m_changed.wait(lock, [this] { return (m_queue.empty() && m_busy == 0) || m_failure; });
        rethrow_failure();
    }

    void rethrow_failure() {
        if (m_failure) {
            std::rethrow_exception(m_failure);
        }
    }

    void work(Loader& loader) {
        for (;;) {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return !m_queue.empty() || m_stopping || m_failure; });
            if (m_queue.empty() || m_failure) {
                return;
            }
            Job job = std::move(m_queue.front());
            m_queue.pop_front();
            loader.sequence = job.sequence;
            ++m_busy;
            lock.unlock();
            m_changed.notify_all(); // room in the queue
            std::exception_ptr failure;
            try {
                load(loader, job);
            } catch (const Abandoned&) {
                // An earlier batch failed: this one is not stored either.
            } catch (...) {
                failure = std::current_exception();
            }
            job.batch->clear();
            lock.lock();
            m_spares.push_back(std::move(job.batch));
            loader.sequence.reset();
            --m_busy;
            if (failure && !m_failure) {
                m_failure = failure;
            }
            const bool stop = m_failure != nullptr;
            lock.unlock();
            m_changed.notify_all();
            if (stop) {
                return;
            }
        }
    }

    // Batches commit in the order they were handed over, whichever loader
    // wrote them, so that each registry position covers every line before
    // it: a kill at any moment loses nothing and stores nothing twice.
    void wait_for_turn(std::uint64_t sequence) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_committed == sequence || m_failure; });
        if (m_failure) {
            throw Abandoned{};
        }
    }

    // As wait_for_turn, for a loader holding its batch's transaction open
    // in `tx`. A later batch's locks may be what an earlier one waits for (a
    // duplicate row, a partition being created, a rollup queued behind it):
    // a wait through the commit order, which PostgreSQL cannot see. Returns
    // false when that is so: the caller then gives up its transaction.
    bool wait_for_turn_holding(const Loader& loader, std::uint64_t sequence,
                               pqxx::transaction_base& tx) {
        std::unique_lock lock(m_mutex);
        const auto ready = [&] { return m_committed == sequence || m_failure; };
        while (!m_changed.wait_for(lock, lock_check_interval, ready)) {
            std::vector<std::string> earlier;
            for (const auto& other : m_loaders) {
                if (&other != &loader && other.sequence && *other.sequence < sequence) {
                    earlier.push_back(std::to_string(other.backend_pid));
                }
            }
            lock.unlock();
            const bool blocking = db::run(tx, db::statement("load/blocks_earlier_batch"),
                                          {{"earlier_pids", db::array_literal(earlier)}})[0][0]
                                      .as<bool>();
            if (blocking) {
                return false;
            }
            lock.lock();
        }
        if (m_failure) {
            throw Abandoned{};
        }
        return true;
    }

    // One transaction: the rows, then in the batch's turn the rejected lines,
    // the dirty days and the registry position. False when the batch gave up
    // its transaction to wait for its turn (nothing of it was stored).
    bool commit_batch(Loader& loader, const Job& job, WriteMode mode, bool in_turn) {
        db::Session& session = *loader.session;
        pqxx::work tx{session.impl().connection};
        WriteOutcome outcome;
        try {
            outcome = write_batch(tx, session, *job.batch, mode, DirtyMarks::by_caller);
        } catch (const pqxx::sql_error& e) {
            if (in_turn || e.sqlstate() != "40P01") {
                throw;
            }
            // Two loaders' rows waited for each other (duplicates in both
            // batches): the later one gives way.
            return false;
        }
        if (!in_turn && !wait_for_turn_holding(loader, job.sequence, tx)) {
            log::debug(job.input.display + ": the batch ending at line " +
                       std::to_string(job.position.lines) +
                       " gives up its transaction to let the earlier ones commit");
            return false;
        }
        std::vector<RejectedLine> refused;
        for (const auto& failure : outcome.failures) {
            refused.push_back({0,
                               std::string("refused by the database: ") + failure.error + " (" +
                                   table_name(failure.table) + " row " +
                                   std::to_string(failure.row + 1) + " of the batch)",
                               ""});
        }
        record_rejects(tx, session, job.input.display, job.input.id, job.batch->rejects());
        record_rejects(tx, session, job.input.display, "", refused);
        mark_dirty_days(tx, session, outcome);
        if (!job.input.id.empty()) {
            record_position(tx, session, job.input, job.format, job.position, outcome.stored,
                            job.complete);
        }
        tx.commit();
        {
            std::lock_guard lock(m_mutex);
            m_committed = job.sequence + 1;
            m_stored += outcome.stored;
            m_duplicates += outcome.duplicates;
            m_dirty_days += outcome.dirty_days;
            ++m_batches;
            for (const auto& failure : outcome.failures) {
                log::warn(job.input.display + ": refused by the database: " + failure.error);
                m_refused.push_back(failure.error);
            }
        }
        m_changed.notify_all();
        return true;
    }

    void load(Loader& loader, const Job& job) {
        const std::string where = job.input.display + " (batch ending at line " +
                                  std::to_string(job.position.lines) + ")";
        try {
            const std::size_t created = loader.keeper->ensure(*job.batch);
            {
                std::lock_guard lock(m_mutex);
                m_partitions += created;
            }
            WriteMode mode = WriteMode::direct;
            bool in_turn = false;
            for (;;) {
                if (in_turn) {
                    wait_for_turn(job.sequence);
                }
                try {
                    if (commit_batch(loader, job, mode, in_turn)) {
                        return;
                    }
                    in_turn = true; // gave way: write again in its turn
                } catch (const pqxx::sql_error& e) {
                    if (mode == WriteMode::exact || !db::bad_rows(e)) {
                        throw;
                    }
                    // Some rows are stored already, or refused: redo the batch exactly.
                    mode = WriteMode::exact;
                }
            }
        } catch (const pqxx::failure&) {
            rethrow_database_error(loader.session->impl().connection, "loading " + where,
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
    ingest::InputIdentity m_input;
    std::unique_ptr<Batch> m_current;
    // Shared with the loaders, under m_mutex.
    std::mutex m_mutex;
    std::condition_variable m_changed;
    // Batches waiting for a loader: a few, so that a slow commit (a
    // checkpoint) does not stall parsing.
    static constexpr std::size_t max_queued = 2;
    // With max_queued batches waiting, one per loader being written and one
    // being filled, loading holds at most about (3 + loaders) ×
    // max_batch_bytes (batch.hpp) of rows.
    std::deque<Job> m_queue;
    std::uint64_t m_submitted = 0; // sequence of the next batch handed over
    std::uint64_t m_committed = 0; // sequence of the next batch to commit
    // How often a loader waiting for its turn asks the server whether an
    // earlier batch waits for its locks.
    static constexpr std::chrono::milliseconds lock_check_interval{50};
    std::size_t m_busy = 0; // loaders writing a batch
    std::vector<std::unique_ptr<Batch>> m_spares;
    std::exception_ptr m_failure;
    bool m_stopping = false;
    std::uint64_t m_stored = 0, m_duplicates = 0, m_partitions = 0, m_dirty_days = 0, m_batches = 0;
    std::vector<std::string> m_refused;
    // Last: their threads use the members above.
    std::vector<Loader> m_loaders;
};

} // namespace

std::unique_ptr<ingest::RecordSink>
make_database_sink(db::Session& session, const db::OpenOptions& open, const config::Config& config,
                   std::size_t batch_size, std::int64_t now_us) {
    return std::make_unique<DatabaseSink>(session, open, config, batch_size, now_us);
}

} // namespace analytics::load
