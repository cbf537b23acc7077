#include <analytics/storage/citus_sizes.hpp>
#include <analytics/util/errors.hpp>

namespace analytics::storage {

namespace {

// Run on each placement, %1$s its shard's name: rows (the statistics'
// estimate, or counted), heap, indexes, TOAST, total.
constexpr const char* estimated_command =
    "SELECT concat_ws(' ', coalesce((SELECT n_live_tup FROM pg_stat_user_tables WHERE relid = "
    "'%1$s'::regclass), greatest((SELECT reltuples FROM pg_class WHERE oid = '%1$s'::regclass), "
    "0)::bigint)";
constexpr const char* exact_command = "SELECT concat_ws(' ', (SELECT count(*) FROM %1$s)";
constexpr const char* sizes_command =
    ", pg_table_size('%1$s') - coalesce(pg_total_relation_size(nullif((SELECT reltoastrelid FROM "
    "pg_class WHERE oid = '%1$s'::regclass), 0)), 0), pg_indexes_size('%1$s'), "
    "coalesce(pg_total_relation_size(nullif((SELECT reltoastrelid FROM pg_class WHERE oid = "
    "'%1$s'::regclass), 0)), 0), pg_total_relation_size('%1$s'))";

constexpr const char* placements_sql =
    "SELECT nodename || ':' || nodeport, success, result FROM run_command_on_placements("
    "format('%I.%I', $1::text, $2::text)::regclass, $3) ORDER BY 1";

std::int64_t field(const std::string& text, std::size_t index) {
    std::size_t from = 0;
    for (std::size_t i = 0; i < index; ++i) {
        from = text.find(' ', from) + 1;
    }
    return std::stoll(text.substr(from, text.find(' ', from) - from));
}

} // namespace

bool has_citus(pqxx::transaction_base& tx) {
    return tx.exec("SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus')")[0][0]
        .as<bool>();
}

std::optional<CitusTableSizes> citus_table_sizes(pqxx::transaction_base& tx,
                                                 const std::string& schema,
                                                 const std::string& table, bool exact_rows) {
    const auto kind = tx.exec_params("SELECT partmethod FROM pg_dist_partition WHERE logicalrelid "
                                     "= format('%I.%I', $1::text, $2::text)::regclass",
                                     schema, table);
    if (kind.empty()) {
        return std::nullopt;
    }
    CitusTableSizes sizes;
    sizes.reference = kind[0][0].as<std::string>() == "n";
    const std::string command =
        std::string(exact_rows ? exact_command : estimated_command) + sizes_command;
    for (const auto& row : tx.exec_params(placements_sql, schema, table, command)) {
        const std::string node = row[0].as<std::string>();
        const std::string result = row[2].is_null() ? "" : row[2].as<std::string>();
        if (!row[1].as<bool>()) {
            throw DbUnavailable("size of " + table + " on Citus node " + node + ": " + result);
        }
        if (sizes.nodes.empty() || sizes.nodes.back().name != node) {
            RelationSize share;
            share.name = node;
            share.kind = "node";
            sizes.nodes.push_back(share);
        }
        auto& share = sizes.nodes.back();
        share.rows += field(result, 0);
        share.table_bytes += field(result, 1);
        share.index_bytes += field(result, 2);
        share.toast_bytes += field(result, 3);
        share.total_bytes += field(result, 4);
    }
    return sizes;
}

} // namespace analytics::storage
