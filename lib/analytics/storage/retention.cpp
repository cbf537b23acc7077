#include <analytics/db/error_table.hpp>
#include <analytics/db/transaction_scope.hpp>
#include <analytics/storage/calendar.hpp>
#include <analytics/storage/partitions.hpp>
#include <analytics/storage/retention.hpp>
#include <analytics/storage/rollup_jobs.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>

#include <re2/re2.h>

#include <cstdio>
#include <optional>

namespace analytics::storage {

namespace {

// Why the month ending on `last_day` may not be dropped yet; empty if it may.
std::string unrolled(pqxx::transaction_base& tx, const db::Session& session,
                     const std::string& table, std::int64_t first_day, std::int64_t last_day) {
    for (const auto& job : jobs_reading(table)) {
        const auto r =
            tx.exec_params("SELECT (SELECT last_processed_date FROM " +
                               db::qualified(session, "maintenance_state") +
                               " WHERE job_name = $1), (SELECT count(*) FROM " +
                               db::qualified(session, "rollup_dirty_days") +
                               " WHERE job_name = $1 AND day BETWEEN $2::date AND $3::date)",
                           job, format_day(first_day), format_day(last_day));
        if (r[0][0].is_null()) {
            return "job " + job + " has no checkpoint";
        }
        const std::string checkpoint = r[0][0].as<std::string>();
        if (checkpoint < format_day(last_day)) {
            return "job " + job + " rolled up to " + checkpoint + " only";
        }
        if (r[0][1].as<std::int64_t>() > 0) {
            return "job " + job + " has dirty days in it";
        }
    }
    return {};
}

} // namespace

RetentionSummary apply_retention(db::Session& session, const config::Config& config,
                                 std::int64_t now_us, bool dry_run) {
    RetentionSummary summary;
    summary.dry_run = dry_run;
    std::optional<db::DryRun> simulation; // nothing is kept of a dry run
    if (dry_run) {
        simulation.emplace(session);
    }
    const time::LocalZone zone(config.timezone);
    const std::int64_t today = local_day(zone, now_us);
    static const RE2 monthly_name(".*_p[0-9]{6}"); // partition_name(): <table>_pYYYYMM

    for (const auto& table : partitioned_tables()) {
        const auto days = retention_days(config, table.name);
        if (!days) {
            continue; // kept forever
        }
        const std::int64_t cutoff = today - *days;
        try {
            for (const auto& partition : list_partitions(session, table.name)) {
                if (!RE2::FullMatch(partition.name, monthly_name) || !partition.from_us ||
                    !partition.to_us) {
                    continue; // not one of ours
                }
                const std::int64_t end_day = local_day(zone, *partition.to_us); // first day after
                if (end_day > cutoff) {
                    continue; // still inside retention
                }
                RetentionAction action{table.name, partition.name, 0, ""};
                const MonthSpan month = month_of(zone, *partition.from_us);
                db::in_transaction(session, [&](pqxx::transaction_base& tx) {
                    if (!dry_run) {
                        // No partition is created meanwhile, and no writer
                        // still holds rows of this one that the checks below
                        // would not see (a writer's dirty marks commit with
                        // its rows).
                        lock_partitions_of(tx, session, table.name);
                        tx.exec("LOCK TABLE " + db::qualified(session, partition.name) +
                                " IN ACCESS EXCLUSIVE MODE");
                    }
                    action.kept_because = unrolled(
                        tx, session, table.name, local_day(zone, *partition.from_us), end_day - 1);
                    if (!action.kept_because.empty() || dry_run) {
                        return;
                    }
                    char first_day[16];
                    std::snprintf(first_day, sizeof first_day, "%04d-%02u-01", month.year,
                                  month.month);
                    // The fact that keeps late rows out of this month and its
                    // rollups as they are, committed with the drop.
                    tx.exec_params("INSERT INTO " + db::qualified(session, "dropped_months") +
                                       " (table_name, month) VALUES ($1, $2::date) "
                                       "ON CONFLICT DO NOTHING",
                                   std::string(table.name), std::string(first_day));
                    tx.exec("DROP TABLE " + db::qualified(session, partition.name));
                });
                if (!action.kept_because.empty()) {
                    summary.kept.push_back(action);
                    continue;
                }
                summary.dropped.push_back(action);
            }
        } catch (const pqxx::failure& e) {
            if (db::database_gone(e)) {
                throw;
            }
            summary.errors.push_back(std::string(table.name) + ": " + error_text(e));
        }
    }

    // Rollup tables, per their own retention.
    for (const auto& rollup : rollup_tables()) {
        const std::optional<int> days = config.retention.*rollup.retention;
        if (!days) {
            continue;
        }
        const std::int64_t cutoff_us = zone.to_utc((today - *days) * us_per_day);
        // A date column is cut at the local day, a bucket at its midnight.
        const bool dated = std::string(rollup.period).rfind("metric_", 0) == 0; // a date
        const std::string cutoff =
            dated ? format_day(today - *days) : time::format_iso_utc(cutoff_us);
        try {
            // In a dry run the rows are deleted too, in the dry run's
            // transaction, which is rolled back: the count is exact.
            const auto rows = db::in_transaction(session, [&](pqxx::transaction_base& tx) {
                return static_cast<std::uint64_t>(
                    tx.exec_params("DELETE FROM " + db::qualified(session, rollup.name) +
                                       " WHERE " + tx.quote_name(rollup.period) +
                                       " < $1::" + (dated ? "date" : "timestamptz"),
                                   cutoff)
                        .affected_rows());
            });
            if (rows > 0) {
                summary.pruned.push_back({rollup.name, "", rows, ""});
            }
        } catch (const pqxx::failure& e) {
            if (db::database_gone(e)) {
                throw;
            }
            summary.errors.push_back(std::string(rollup.name) + ": " + error_text(e));
        }
    }
    return summary;
}

} // namespace analytics::storage
