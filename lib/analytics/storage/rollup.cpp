#include <analytics/db/error_table.hpp>
#include <analytics/db/statements.hpp>
#include <analytics/db/transaction_scope.hpp>
#include <analytics/storage/calendar.hpp>
#include <analytics/storage/dropped_months.hpp>
#include <analytics/storage/partitions.hpp>
#include <analytics/storage/rollup.hpp>
#include <analytics/storage/rollup_jobs.hpp>
#include <analytics/storage/rollup_locks.hpp>
#include <analytics/storage/tables.hpp>
#include <analytics/time/civil_day.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/json_document.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <sstream>
#include <stdexcept>

namespace analytics::storage {

namespace {

// The statements that replace a day (or a month) of a job's rollup tables:
// sql/rollup/<table>.sql (a family of periods: one file, cmake/EmbedSql.cmake), one
// per table of the catalogue (tables.hpp). A
// day's statements include the hourly tables'.
std::vector<const db::Statement*> statements_of(const RollupJobInfo& job, Refresh refresh) {
    std::vector<const db::Statement*> statements;
    for (const auto& table : rollup_tables()) {
        const bool wanted =
            table.refresh == refresh || (refresh == Refresh::day && table.refresh == Refresh::hour);
        if (wanted && std::string(table.job) == job.name) {
            statements.push_back(&db::statement(std::string("rollup/") + table.name));
        }
    }
    return statements;
}

const char* key_of(const std::string& table) {
    for (const auto& t : partitioned_tables()) {
        if (table == t.name) {
            return t.key;
        }
    }
    throw std::logic_error("not a partitioned table: " + table);
}

// One rollup of a job at a time per schema (two `rollup` runs, or one and a
// `maintain`): a day's rollup rows are deleted and inserted again, which two
// runs at once would double. Session-level, so a killed run leaves no lock.
class JobLock {
  public:
    JobLock(db::Session& session, const char* job) : m_session(session), m_job(job) {
        pqxx::nontransaction tx{m_session.impl().connection};
        tx.exec_params("SELECT pg_advisory_lock(hashtext('analytics:rollup-job'), hashtext($1))",
                       key());
    }

    ~JobLock() {
        try {
            pqxx::nontransaction tx{m_session.impl().connection};
            tx.exec_params(
                "SELECT pg_advisory_unlock(hashtext('analytics:rollup-job'), hashtext($1))", key());
        } catch (const std::exception&) {
            // The connection is gone, and the lock with it.
        }
    }

    JobLock(const JobLock&) = delete;
    JobLock& operator=(const JobLock&) = delete;

  private:
    std::string key() const { return m_session.schema() + "." + m_job; }

    db::Session& m_session;
    std::string m_job;
};

class JobRunner {
  public:
    JobRunner(db::Session& session, const config::Config& config, const RollupOptions& options,
              const RollupJobInfo& job)
        : m_session(session), m_config(config), m_options(options), m_job(job),
          m_days(statements_of(job, Refresh::day)), m_months(statements_of(job, Refresh::month)),
          m_hours(statements_of(job, Refresh::hour)), m_main_key(key_of(job.sources.front())),
          m_zone(config.timezone) {
        m_report.job = job.name;
        m_today = local_day(m_zone, options.now_us);
    }

    RollupJobReport run() {
        std::optional<JobLock> lock;
        if (!db::in_dry_run(m_session)) {
            lock.emplace(m_session, m_job.name);
        }
        m_dropped = read_dropped_months(m_session, m_zone);
        std::optional<std::int64_t> checkpoint = read_checkpoint();
        const bool forced = !m_options.from.empty();
        std::vector<std::int64_t> days; // in order, each once
        std::set<std::int64_t> dirty;
        if (forced) {
            const std::int64_t from = time::parse_day(m_options.from, "--from");
            const std::int64_t to = time::parse_day(m_options.to, "--to");
            for (std::int64_t d = from; d <= std::min(to, m_today - 1); ++d) {
                days.push_back(d);
            }
        } else if (!m_options.today_only) {
            if (!checkpoint) {
                checkpoint = start_checkpoint();
            }
            if (checkpoint) {
                for (const std::int64_t d : read_dirty_days(*checkpoint)) {
                    dirty.insert(d);
                    days.push_back(d);
                }
                // Every day after the checkpoint, data or not: the
                // checkpoint always moves on, up to yesterday, within the cap.
                const std::int64_t first = *checkpoint + 1;
                const std::int64_t cap = std::max(1, m_config.rollup.max_days_per_run);
                for (std::int64_t d = first; d <= m_today - 1 && d < first + cap; ++d) {
                    days.push_back(d);
                }
            }
        }
        std::optional<std::int64_t> current = checkpoint;
        std::set<std::pair<int, unsigned>> months;
        for (const std::int64_t day : days) {
            const std::string text = format_day(day);
            // Forced days never move the checkpoint past a day not rolled up.
            const bool advances = current && day == *current + 1;
            const auto* dropped = m_dropped.freezing(m_job.sources, day_start(day));
            DayOutcome outcome = DayOutcome::rolled;
            try {
                outcome = dropped != nullptr ? close_day(day, advances) : roll_day(day, advances);
            } catch (const pqxx::sql_error& e) {
                // The day failed. A lost database, or a deadlock (libpqxx 6
                // throws it outside sql_error), ends the run instead.
                if (db::database_gone(e)) {
                    throw;
                }
                m_report.error = text + ": " + error_text(e);
                break;
            }
            if (advances) {
                current = day;
            }
            if (outcome == DayOutcome::frozen) {
                m_report.skipped.push_back(text);
                continue;
            }
            if (outcome == DayOutcome::empty) {
                m_report.empty.push_back(text);
                continue;
            }
            m_report.days.push_back(text);
            if (dirty.count(day) != 0) {
                m_report.dirty.push_back(text);
            }
            int year = 0;
            unsigned month = 0, dom = 0;
            time::civil_from_days(day, year, month, dom);
            months.insert({year, month});
        }
        if (!m_months.empty() && m_report.error.empty()) {
            for (const auto& [year, month] : months) {
                try {
                    roll_month(year, month, current);
                } catch (const pqxx::sql_error& e) {
                    if (db::database_gone(e)) {
                        throw;
                    }
                    char label[16];
                    std::snprintf(label, sizeof label, "%04d-%02u", year, month);
                    m_report.error = std::string(label) + ": " + error_text(e);
                    break;
                }
            }
        }
        if (!forced && !m_hours.empty() && m_report.error.empty()) {
            try {
                roll_today_hours();
            } catch (const pqxx::sql_error& e) {
                if (db::database_gone(e)) {
                    throw;
                }
                m_report.error = format_day(m_today) + " (today's hours): " + error_text(e);
            }
        }
        if (current) {
            m_report.checkpoint = format_day(*current);
        }
        return m_report;
    }

  private:
    enum class DayOutcome { rolled, empty, frozen };

    std::int64_t day_start(std::int64_t day) const { return m_zone.to_utc(day * us_per_day); }

    std::optional<std::int64_t> read_checkpoint() {
        return db::in_transaction(m_session, [&](pqxx::transaction_base& tx) {
            const auto r = tx.exec_params(
                "SELECT (last_processed_date - date '1970-01-01')::bigint FROM " +
                    db::qualified(m_session, "maintenance_state") + " WHERE job_name = $1",
                std::string(m_job.name));
            return r.empty() || r[0][0].is_null() ? std::optional<std::int64_t>{}
                                                  : r[0][0].as<std::int64_t>();
        });
    }

    // The first checkpoint: the day before the oldest row of the main source
    // (min() over a partitioned table with a time index reads the first
    // partition's index, not the table), set under the first-checkpoint lock
    // so that a writer of older rows either is seen here or, after, marks
    // its days dirty against it (rollup_locks.hpp). None while there are no
    // rows up to yesterday.
    std::optional<std::int64_t> start_checkpoint() {
        return db::in_transaction(m_session, [&](pqxx::transaction_base& tx) {
            std::optional<std::int64_t> checkpoint;
            if (!db::in_dry_run(m_session)) {
                for (const char* source : m_job.sources) {
                    lock_first_checkpoint(tx, m_session, source);
                }
            }
            const auto r = tx.exec("SELECT (extract(epoch FROM min(" + tx.quote_name(m_main_key) +
                                   ")) * 1000000)::bigint FROM " +
                                   db::qualified(m_session, m_job.sources.front()));
            if (r[0][0].is_null()) {
                return checkpoint;
            }
            const std::int64_t first = local_day(m_zone, r[0][0].as<std::int64_t>());
            if (first > m_today - 1) {
                return checkpoint;
            }
            checkpoint = first - 1;
            save_checkpoint(tx, *checkpoint);
            return checkpoint;
        });
    }

    std::vector<std::int64_t> read_dirty_days(std::int64_t checkpoint) {
        return db::in_transaction(m_session, [&](pqxx::transaction_base& tx) {
            std::vector<std::int64_t> days;
            for (const auto& row :
                 tx.exec_params("SELECT (day - date '1970-01-01')::bigint FROM " +
                                    db::qualified(m_session, "rollup_dirty_days") +
                                    " WHERE job_name = $1 AND day <= $2::date ORDER BY day",
                                std::string(m_job.name), format_day(checkpoint))) {
                days.push_back(row[0].as<std::int64_t>());
            }
            return days;
        });
    }

    void save_checkpoint(pqxx::transaction_base& tx, std::int64_t day) {
        tx.exec_params("INSERT INTO " + db::qualified(m_session, "maintenance_state") +
                           " (job_name, last_processed_date) VALUES ($1, $2::date) "
                           "ON CONFLICT (job_name) DO UPDATE SET last_processed_date = "
                           "EXCLUDED.last_processed_date, updated_at = now()",
                       std::string(m_job.name), format_day(day));
    }

    void finish_day(pqxx::transaction_base& tx, std::int64_t day, bool advances) {
        if (advances) {
            save_checkpoint(tx, day);
        }
        tx.exec_params("DELETE FROM " + db::qualified(m_session, "rollup_dirty_days") +
                           " WHERE job_name = $1 AND day = $2::date",
                       std::string(m_job.name), format_day(day));
    }

    // Whether the main source has rows in [from, to): a day or month without
    // any keeps its rollup rows as they are (rows only ever leave the raw
    // tables with their partition, so rollup rows without raw rows are all
    // that is left of them).
    // "SELECT 1": Citus 13 cannot plan a subquery of no column on a
    // distributed table ("a column definition list is required").
    bool has_rows(pqxx::transaction_base& tx, const db::Arguments& bounds) {
        const std::string key = tx.quote_name(m_main_key);
        return tx
            .exec_params("SELECT EXISTS (SELECT 1 FROM " +
                             db::qualified(m_session, m_job.sources.front()) + " WHERE " + key +
                             " >= $1::timestamptz AND " + key + " < $2::timestamptz)",
                         bounds.at("start"), bounds.at("end"))[0][0]
            .as<bool>();
    }

    // Runs the statements that replace a period; the rows they write.
    std::size_t replace(pqxx::transaction_base& tx, const std::vector<const db::Statement*>& all,
                        const db::Arguments& arguments) {
        std::size_t rows = 0;
        for (const auto* statement : all) {
            rows += db::run(tx, *statement, arguments).affected_rows();
        }
        return rows;
    }

    // A day of a dropped month: never recomputed, but the checkpoint moves on.
    DayOutcome close_day(std::int64_t day, bool advances) {
        db::in_transaction(m_session,
                           [&](pqxx::transaction_base& tx) { finish_day(tx, day, advances); });
        return DayOutcome::frozen;
    }

    DayOutcome roll_day(std::int64_t day, bool advances) {
        return db::in_transaction(m_session, [&](pqxx::transaction_base& tx) {
            if (!db::in_dry_run(m_session)) {
                for (const char* source : m_job.sources) {
                    lock_day_for_rollup(tx, m_session, source, day);
                }
            }
            const db::Arguments arguments = day_arguments(day);
            DayOutcome outcome = DayOutcome::empty;
            if (has_rows(tx, arguments)) {
                outcome = DayOutcome::rolled;
                m_report.rows += replace(tx, m_days, arguments);
            }
            finish_day(tx, day, advances);
            return outcome;
        });
    }

    // Today's completed hours, replaced whole at each run under today's
    // lock (rollup_locks.hpp): a row committed before is in them, one
    // committed after is in the next run's. Today is after every checkpoint,
    // so no writer marks it dirty; its day rollup replaces the hours once it
    // is complete.
    void roll_today_hours() {
        const std::int64_t start = day_start(m_today);
        const std::int64_t hour = std::int64_t{3'600'000'000};
        // The start of the current local hour (zones are whole hours or
        // halves from UTC at most: counted from local midnight).
        const std::int64_t end = start + (m_options.now_us - start) / hour * hour;
        if (end <= start) {
            return;
        }
        db::in_transaction(m_session, [&](pqxx::transaction_base& tx) {
            if (!db::in_dry_run(m_session)) {
                for (const char* source : m_job.sources) {
                    lock_day_for_rollup(tx, m_session, source, m_today);
                }
            }
            db::Arguments arguments = day_arguments(m_today);
            arguments["start"] = time::format_iso_utc(start);
            arguments["end"] = time::format_iso_utc(end);
            if (!has_rows(tx, arguments)) {
                return;
            }
            m_report.hours_until = time::format_iso_utc(end);
            m_report.rows += replace(tx, m_hours, arguments);
        });
    }

    // What every statement of a day may take.
    db::Arguments day_arguments(std::int64_t day) const {
        std::vector<std::string> patterns, placeholders;
        for (const auto& t : m_config.rollup.endpoint_templates) {
            patterns.push_back(t.pattern);
            placeholders.push_back(t.placeholder);
        }
        return {{"start", time::format_iso_utc(day_start(day))},
                {"end", time::format_iso_utc(day_start(day + 1))},
                {"day", format_day(day)},
                {"zone", m_config.timezone},
                {"patterns", db::array_literal(patterns)},
                {"placeholders", db::array_literal(placeholders)}};
    }

    // A month is summarised once it is complete and rolled up to its last
    // day, from its raw rows (a median cannot be made of daily medians); never
    // a month dropped from the raw table, nor one without raw rows.
    void roll_month(int year, unsigned month, const std::optional<std::int64_t>& checkpoint) {
        const MonthSpan span = month_span(m_zone, year, month);
        const std::int64_t last_day = local_day(m_zone, span.to_us - 1);
        if (!checkpoint || *checkpoint < last_day || last_day >= m_today ||
            m_dropped.freezing(m_job.sources, span.from_us) != nullptr) {
            return;
        }
        char label[16];
        std::snprintf(label, sizeof label, "%04d-%02u", year, month);
        db::in_transaction(m_session, [&](pqxx::transaction_base& tx) {
            db::Arguments arguments = day_arguments(local_day(m_zone, span.from_us));
            arguments["start"] = time::format_iso_utc(span.from_us);
            arguments["end"] = time::format_iso_utc(span.to_us);
            if (!has_rows(tx, arguments)) {
                return;
            }
            m_report.months.push_back(label);
            m_report.rows += replace(tx, m_months, arguments);
        });
    }

    db::Session& m_session;
    const config::Config& m_config;
    const RollupOptions& m_options;
    const RollupJobInfo& m_job;
    const std::vector<const db::Statement*> m_days;   // per day rolled up
    const std::vector<const db::Statement*> m_months; // per complete month
    const std::vector<const db::Statement*> m_hours;  // today's completed hours
    const char* m_main_key;
    time::LocalZone m_zone;
    std::int64_t m_today = 0;
    DroppedMonths m_dropped;
    RollupJobReport m_report;
};

// The salts of visitor keys live until the day after theirs is over (logs of
// a day are often ingested just after midnight), then are destroyed
// (enrich/visitor_key.hpp).
void expire_visitor_salts(db::Session& session, const config::Config& config, std::int64_t now_us) {
    const std::int64_t today = local_day(time::LocalZone(config.timezone), now_us);
    db::in_transaction(session, [&](pqxx::transaction_base& tx) {
        db::run(tx, db::statement("visitors/expire_salts"), {{"before", format_day(today - 1)}});
    });
}

} // namespace

RollupSummary rollup(db::Session& session, const config::Config& config,
                     const RollupOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    if (options.from.empty() != options.to.empty()) {
        throw UsageError("--from and --to go together");
    }
    if (!options.from.empty() &&
        time::parse_day(options.to, "--to") < time::parse_day(options.from, "--from")) {
        throw UsageError("--to " + options.to + " is before --from " + options.from);
    }
    RollupSummary summary;
    summary.dry_run = options.dry_run;
    // A dry run computes everything in a transaction that is rolled back, so
    // it says exactly what a real run would do.
    std::optional<db::DryRun> dry_run;
    if (options.dry_run) {
        dry_run.emplace(session);
    }
    for (const auto& job : rollup_job_catalogue()) {
        if (!options.job.empty() && options.job != job.name) {
            continue;
        }
        if (options.today_only && statements_of(job, Refresh::hour).empty()) {
            continue;
        }
        try {
            summary.jobs.push_back(JobRunner(session, config, options, job).run());
        } catch (const pqxx::failure& e) {
            if (!db::database_gone(e)) {
                throw;
            }
            throw DbUnavailable(std::string("lost the database connection during rollup job ") +
                                job.name + ": " + e.what());
        }
    }
    try {
        expire_visitor_salts(session, config, options.now_us);
    } catch (const pqxx::failure& e) {
        if (!db::database_gone(e)) {
            throw;
        }
        throw DbUnavailable(std::string("lost the database connection during rollup: ") + e.what());
    }
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

bool RollupSummary::failed() const {
    return std::any_of(jobs.begin(), jobs.end(), [](const auto& j) { return !j.error.empty(); });
}

std::string RollupSummary::to_text() const {
    std::ostringstream out;
    for (const auto& job : jobs) {
        out << "rollup " << job.job << ": " << job.days.size()
            << (dry_run ? " days to roll up" : " days rolled up");
        if (!job.days.empty()) {
            out << " (" << job.days.front() << (job.days.size() > 1 ? ".." + job.days.back() : "")
                << ")";
        }
        out << ", " << job.dirty.size() << " dirty, " << job.empty.size() << " without raw rows, "
            << job.skipped.size() << " skipped (raw month dropped)";
        if (!job.months.empty()) {
            out << ", months " << job.months.front()
                << (job.months.size() > 1 ? ".." + job.months.back() : "");
        }
        if (!job.hours_until.empty()) {
            out << ", today's hours until " << job.hours_until;
        }
        out << ", " << job.rows << (dry_run ? " rows to write" : " rows") << ", checkpoint "
            << (job.checkpoint.empty() ? "none" : job.checkpoint) << "\n";
        if (!job.error.empty()) {
            out << "  FAILED " << job.error << "\n";
        }
    }
    char tail[48];
    std::snprintf(tail, sizeof tail, "rollup: %.2f s\n", seconds);
    out << tail;
    return out.str();
}

nlohmann::ordered_json RollupSummary::json_document() const {
    // An empty text is null: no checkpoint yet, no hour replaced, no error.
    nlohmann::ordered_json document;
    document["dry_run"] = dry_run;
    document["jobs"] = nlohmann::ordered_json::array();
    for (const auto& job : jobs) {
        document["jobs"].push_back({{"job", job.job},
                                    {"days", job.days},
                                    {"dirty", job.dirty},
                                    {"empty", job.empty},
                                    {"months", job.months},
                                    {"skipped", job.skipped},
                                    {"hours_until", text_or_null(job.hours_until)},
                                    {"rows", job.rows},
                                    {"checkpoint", text_or_null(job.checkpoint)},
                                    {"error", text_or_null(job.error)}});
    }
    document["seconds"] = seconds;
    return document;
}

std::string RollupSummary::to_json() const {
    return dump_json(json_document());
}

} // namespace analytics::storage
