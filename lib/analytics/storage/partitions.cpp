#include <analytics/db/error_table.hpp>
#include <analytics/db/transaction_scope.hpp>
#include <analytics/storage/partitions.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>

#include <cstdio>

namespace analytics::storage {

namespace {

// Bounds as epoch microseconds; NULL for MINVALUE / MAXVALUE / DEFAULT.
constexpr const char* list_sql = R"SQL(
SELECT c.relname,
       b.expr = 'DEFAULT' AS is_default,
       (extract(epoch FROM (substring(b.expr FROM $$FROM \('([^']+)'\)$$))::timestamptz)
           * 1000000)::bigint AS from_us,
       (extract(epoch FROM (substring(b.expr FROM $$TO \('([^']+)'\)$$))::timestamptz)
           * 1000000)::bigint AS to_us
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) AS expr) b
WHERE i.inhparent = to_regclass(format('%I.%I', $1::text, $2::text))
ORDER BY 3 NULLS FIRST
)SQL";

PartitionInfo to_info(const pqxx::row& row) {
    PartitionInfo info;
    info.name = row[0].as<std::string>();
    info.is_default = row[1].as<bool>();
    if (!row[2].is_null()) {
        info.from_us = row[2].as<std::int64_t>();
    }
    if (!row[3].is_null()) {
        info.to_us = row[3].as<std::int64_t>();
    }
    return info;
}

} // namespace

std::optional<int> retention_days(const config::Config& config, const std::string& table) {
    for (const auto& raw : raw_tables()) {
        if (table == raw.name) {
            return config.retention.*raw.retention;
        }
    }
    return std::nullopt;
}

std::string partition_name(const std::string& table, int year, unsigned month) {
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "_p%04d%02u", year, month);
    return table + suffix;
}

std::vector<PartitionInfo> list_partitions(db::Session& session, const std::string& table) {
    return db::in_transaction(session, [&](pqxx::transaction_base& tx) {
        std::vector<PartitionInfo> partitions;
        for (const auto& row : tx.exec_params(list_sql, session.schema(), table)) {
            partitions.push_back(to_info(row));
        }
        return partitions;
    });
}

void lock_partitions_of(pqxx::transaction_base& tx, const db::Session& session,
                        const std::string& table) {
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtext('analytics:partitions'), "
                   "hashtext($1 || '.' || $2))",
                   session.schema(), table);
}

PartitionCreation create_month_partition(db::Session& session, const std::string& table,
                                         const MonthSpan& month, bool in_dropped_month) {
    auto& conn = session.impl().connection;
    pqxx::work tx{conn};
    // One creator (or retention drop) at a time per schema and table; the
    // loser sees the winner's partition, or its drop.
    lock_partitions_of(tx, session, table);
    char first_day[16];
    std::snprintf(first_day, sizeof first_day, "%04d-%02u-01", month.year, month.month);
    if (!in_dropped_month &&
        tx.exec_params1("SELECT EXISTS (SELECT FROM " + db::qualified(session, "dropped_months") +
                            " WHERE table_name = $1 AND month = $2::date)",
                        table, std::string(first_day))[0]
            .as<bool>()) {
        return PartitionCreation::dropped;
    }
    for (const auto& row : tx.exec_params(list_sql, session.schema(), table)) {
        const PartitionInfo info = to_info(row);
        if (!info.is_default && info.contains(month.from_us)) {
            return PartitionCreation::existed;
        }
    }
    const std::string name = partition_name(table, month.year, month.month);
    const std::string sql = "CREATE TABLE " + db::qualified(session, name) + " PARTITION OF " +
                            db::qualified(session, table) + " FOR VALUES FROM (" +
                            tx.quote(time::format_iso_utc(month.from_us)) + ") TO (" +
                            tx.quote(time::format_iso_utc(month.to_us)) + ")";
    try {
        tx.exec(sql);
        tx.commit();
    } catch (const pqxx::sql_error& e) {
        throw Error(db::exit_status_for(e), "cannot create partition " + name + " of " + table +
                                                ": " + std::string(e.what()));
    }
    return PartitionCreation::created;
}

} // namespace analytics::storage
