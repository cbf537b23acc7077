#include <analytics/db/error_table.hpp>
#include <analytics/db/session_impl.hpp>
#include <analytics/load/batch_loader.hpp>
#include <analytics/load/db_errors.hpp>
#include <analytics/storage/rollup_jobs.hpp>
#include <analytics/storage/rollup_locks.hpp>
#include <analytics/util/errors.hpp>

#include <algorithm>
#include <string_view>

namespace analytics::load {

namespace {

constexpr std::size_t chunk_bytes = 1u << 20;

std::string stage_name(Table table) {
    return std::string("analytics_stage_") + table_name(table);
}

} // namespace

// Sends rows (COPY text, "\n"-terminated) in large chunks. libpqxx 6.4
// offers raw COPY lines only through tablewriter (deprecated in favour of
// stream_to, whose raw writer is private); the rows are escaped already.
void copy_rows(pqxx::transaction_base& tx, const std::string& target, Table table,
               std::string_view rows) {
    const std::vector<std::string> columns{copy_columns(table)};
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    pqxx::tablewriter stream(tx, target, columns.begin(), columns.end());
#pragma GCC diagnostic pop
    while (!rows.empty()) {
        std::size_t cut = rows.size();
        if (cut > chunk_bytes) {
            cut = rows.rfind('\n', chunk_bytes) + 1; // whole rows; a row ends in its timestamp
            if (cut == 0) {
                cut = rows.find('\n') + 1;
            }
        }
        // write_raw_line adds the final "\n" itself.
        stream.write_raw_line(std::string(rows.substr(0, cut - 1)));
        rows.remove_prefix(cut);
    }
    stream.complete();
}

namespace {

// Byte offsets of row starts, plus the end.
std::vector<std::size_t> row_bounds(std::string_view text) {
    std::vector<std::size_t> bounds{0};
    for (std::size_t pos = text.find('\n'); pos != std::string_view::npos;
         pos = text.find('\n', pos + 1)) {
        bounds.push_back(pos + 1);
    }
    return bounds;
}

// Copies rows [first, last) into the stage; on a data error, halves the range
// until the bad rows are alone, and reports them.
void copy_isolating(pqxx::work& tx, const std::string& stage, Table table, std::string_view text,
                    const std::vector<std::size_t>& bounds, std::size_t first, std::size_t last,
                    std::vector<RowFailure>& failures) {
    if (first >= last) {
        return;
    }
    try {
        pqxx::subtransaction sub(tx, "analytics_rows");
        copy_rows(sub, stage, table, text.substr(bounds[first], bounds[last] - bounds[first]));
        sub.commit();
        return;
    } catch (const pqxx::sql_error& e) {
        if (!db::bad_rows(e)) {
            throw;
        }
        if (last - first == 1) {
            failures.push_back({table, first, error_text(e)});
            return;
        }
    }
    const std::size_t middle = first + (last - first) / 2;
    copy_isolating(tx, stage, table, text, bounds, first, middle, failures);
    copy_isolating(tx, stage, table, text, bounds, middle, last, failures);
}

struct TableOutcome {
    std::uint64_t stored = 0;
    std::vector<std::string> days; // local days that received rows, YYYY-MM-DD
};

// The slow, exact path: stage, then insert what is not there yet.
TableOutcome write_through_stage(pqxx::work& tx, const db::Session& session, Table table,
                                 const std::string& text, std::vector<RowFailure>& failures) {
    const std::string stage = empty_stage(tx, session, stage_name(table), table);
    const auto bounds = row_bounds(text);
    copy_isolating(tx, stage, table, text, bounds, 0, bounds.size() - 1, failures);
    const std::string columns = copy_columns(table);
    const std::string key = key_column(table);
    const auto r = tx.exec1(
        "WITH inserted AS (INSERT INTO " + db::qualified(session, table_name(table)) + " (" +
        columns + ") SELECT " + columns + " FROM " + stage + " ON CONFLICT DO NOTHING RETURNING " +
        key + ") SELECT count(*), coalesce(string_agg(DISTINCT " + key +
        "::date::text, ','), '') FROM inserted");
    TableOutcome outcome;
    outcome.stored = r[0].as<std::uint64_t>();
    const std::string days = r[1].as<std::string>();
    for (std::size_t from = 0; from < days.size();) {
        const std::size_t comma = std::min(days.find(',', from), days.size());
        outcome.days.push_back(days.substr(from, comma - from));
        from = comma + 1;
    }
    return outcome;
}

} // namespace

std::string empty_stage(pqxx::work& tx, const db::Session& session, const std::string& name,
                        Table table) {
    if (tx.exec_params1("SELECT to_regclass($1) IS NULL", "pg_temp." + name)[0].as<bool>()) {
        tx.exec("CREATE TEMP TABLE " + tx.quote_name(name) + " (LIKE " +
                db::qualified(session, table_name(table)) + ") ON COMMIT DELETE ROWS");
    }
    tx.exec("TRUNCATE " + tx.quote_name(name));
    return tx.quote_name(name);
}

std::uint64_t mark_dirty_days(pqxx::work& tx, const db::Session& session, Table table,
                              const std::vector<std::string>& days) {
    if (days.empty()) {
        return 0;
    }
    std::string day_array = "{", job_array = "{";
    for (const auto& day : days) {
        day_array += (day_array.size() > 1 ? "," : "") + day;
    }
    for (const auto& job : storage::jobs_reading(table_name(table))) {
        job_array += (job_array.size() > 1 ? "," : "") + job;
    }
    day_array += "}";
    job_array += "}";
    const auto r =
        tx.exec_params("INSERT INTO " + db::qualified(session, "rollup_dirty_days") +
                           " (job_name, day) SELECT m.job_name, d FROM unnest($1::date[]) d JOIN " +
                           db::qualified(session, "maintenance_state") +
                           " m ON m.job_name = ANY ($2::text[]) AND d <= m.last_processed_date "
                           "ON CONFLICT DO NOTHING",
                       day_array, job_array);
    return r.affected_rows();
}

bool PartitionKeeper::covered(const std::vector<storage::PartitionInfo>& known,
                              const storage::MonthSpan& month) {
    return std::any_of(known.begin(), known.end(), [&month](const auto& p) {
        return !p.is_default && p.contains(month.from_us) && p.contains(month.to_us - 1);
    });
}

std::size_t PartitionKeeper::ensure(const Batch& batch) {
    std::size_t created = 0;
    for (std::size_t t = 0; t < table_count; ++t) {
        const auto table = static_cast<Table>(t);
        const auto& rows = batch.rows(table);
        if (rows.rows == 0) {
            continue;
        }
        auto [it, fresh] = m_known.try_emplace(table_name(table));
        if (fresh) {
            it->second = storage::list_partitions(m_session, table_name(table));
        }
        for (const auto& month : rows.months) {
            if (covered(it->second, month)) {
                continue;
            }
            switch (storage::create_month_partition(m_session, table_name(table), month)) {
            case storage::PartitionCreation::created:
                ++created;
                break;
            case storage::PartitionCreation::existed:
                break;
            case storage::PartitionCreation::dropped:
                // Rows of dropped months are set aside before they reach a
                // batch; this one was dropped while the run was loading.
                throw StepFailed(std::string("the month of rows in this batch was rolled up and "
                                             "dropped from ") +
                                 table_name(table) +
                                 " while loading; nothing of the batch was stored: run again, "
                                 "its rows are then set aside as such");
            }
            it->second = storage::list_partitions(m_session, table_name(table));
        }
    }
    return created;
}

void mark_dirty_days(pqxx::work& tx, const db::Session& session, WriteOutcome& outcome) {
    for (const auto& [table, days] : outcome.days) {
        outcome.dirty_days += mark_dirty_days(tx, session, table, days);
    }
}

WriteOutcome write_batch(pqxx::work& tx, const db::Session& session, const Batch& batch,
                         WriteMode mode, DirtyMarks marks) {
    // Before any row is written: the days' locks against a concurrent rollup
    // (storage/rollup_locks.hpp), so that the dirty marks below are exact.
    for (std::size_t t = 0; t < table_count; ++t) {
        const auto& rows = batch.rows(static_cast<Table>(t));
        if (rows.rows != 0) {
            storage::lock_days_for_writing(tx, session, table_name(static_cast<Table>(t)),
                                           rows.days);
        }
    }
    WriteOutcome outcome;
    for (std::size_t t = 0; t < table_count; ++t) {
        const auto table = static_cast<Table>(t);
        const auto& rows = batch.rows(table);
        if (rows.rows == 0) {
            continue;
        }
        bool fast = mode != WriteMode::exact;
        if (mode == WriteMode::direct) {
            copy_rows(tx, db::qualified(session, table_name(table)), table, rows.text);
        } else if (mode == WriteMode::savepoint) {
            try {
                pqxx::subtransaction sub(tx, "analytics_copy");
                copy_rows(sub, db::qualified(session, table_name(table)), table, rows.text);
                sub.commit();
            } catch (const pqxx::sql_error& e) {
                if (!db::bad_rows(e)) {
                    throw;
                }
                fast = false; // a duplicate, or a bad value: take the exact path
            }
        }
        std::vector<std::string> days;
        if (fast) {
            outcome.stored += rows.rows;
            for (const std::int64_t day : rows.days) {
                days.push_back(storage::format_day(day));
            }
        } else {
            const std::size_t failures_before = outcome.failures.size();
            auto staged = write_through_stage(tx, session, table, rows.text, outcome.failures);
            outcome.stored += staged.stored;
            outcome.duplicates +=
                rows.rows - staged.stored - (outcome.failures.size() - failures_before);
            days = std::move(staged.days);
        }
        if (marks == DirtyMarks::now) {
            outcome.dirty_days += mark_dirty_days(tx, session, table, days);
        } else {
            outcome.days.emplace_back(table, std::move(days));
        }
    }
    return outcome;
}

} // namespace analytics::load
