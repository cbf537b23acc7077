#include <analytics/db/session_impl.hpp>
#include <analytics/storage/citus_layout.hpp>
#include <analytics/util/log.hpp>

#include <algorithm>
#include <optional>

namespace analytics::storage {

namespace {

// The tables of the schema, partitions left out (they follow their parent).
constexpr const char* tables_sql =
    "SELECT relname FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE "
    "nspname = $1) AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY relname";

// How Citus holds a table now: no row for a plain table; partmethod 'h' hash
// distributed, 'n' with repmodel 't' a reference table.
constexpr const char* placed_sql =
    "SELECT partmethod = 'h', CASE WHEN partmethod = 'h' THEN "
    "column_to_column_name(logicalrelid, partkey) ELSE '' END FROM pg_dist_partition WHERE "
    "logicalrelid = format('%I.%I', $1::text, $2::text)::regclass";

// What the catalogue says of `table`.
TablePlacement catalogued(const std::string& table) {
    TablePlacement wanted;
    wanted.table = table;
    for (const auto& raw : raw_tables()) {
        if (table == raw.name) {
            wanted.placement = Placement::distributed;
            wanted.column = raw.distribution;
            return wanted;
        }
    }
    for (const auto& rollup : rollup_tables()) {
        if (table == rollup.name) {
            wanted.placement = Placement::reference;
            return wanted;
        }
    }
    for (const auto& other : bookkeeping_tables()) {
        if (table == other.name) {
            wanted.placement = other.placement;
            return wanted;
        }
    }
    wanted.catalogued = false;
    return wanted;
}

// Places one table in its own transaction. Rows already in the table (a
// schema migrated before the workers were added) are copied to the shards by
// Citus; their local copy is then emptied.
void place(db::Session& session, const TablePlacement& wanted) {
    pqxx::work tx{session.impl().connection};
    const std::string name = db::qualified(session, wanted.table);
    if (wanted.placement == Placement::distributed) {
        tx.exec_params("SELECT create_distributed_table($1::regclass, $2)", name, wanted.column);
    } else {
        tx.exec_params("SELECT create_reference_table($1::regclass)", name);
    }
    tx.exec_params("SELECT truncate_local_data_after_distributing_table($1::regclass)", name);
    tx.commit();
}

} // namespace

bool CitusCluster::active() const {
    return std::any_of(nodes.begin(), nodes.end(), [](const auto& n) { return !n.coordinator; });
}

const char* placement_name(Placement placement) {
    switch (placement) {
    case Placement::distributed:
        return "distributed";
    case Placement::reference:
        return "reference";
    case Placement::coordinator:
        break;
    }
    return "coordinator";
}

CitusCluster citus_cluster(db::Session& session) {
    CitusCluster cluster;
    pqxx::read_transaction tx{session.impl().connection};
    if (!tx.exec("SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus')")[0][0]
             .as<bool>()) {
        return cluster;
    }
    for (const auto& row : tx.exec("SELECT nodename, nodeport, groupid = 0 FROM pg_dist_node "
                                   "WHERE noderole = 'primary' ORDER BY groupid, nodeid")) {
        cluster.nodes.push_back({row[0].as<std::string>(), row[1].as<int>(), row[2].as<bool>()});
    }
    return cluster;
}

CitusLayout place_on_citus(db::Session& session, bool dry_run) {
    CitusLayout layout;
    layout.cluster = citus_cluster(session);
    if (!layout.cluster.active()) {
        return layout;
    }
    std::vector<std::string> names;
    {
        pqxx::read_transaction tx{session.impl().connection};
        for (const auto& row : tx.exec_params(tables_sql, session.schema())) {
            names.push_back(row[0].as<std::string>());
        }
    }
    for (const auto& name : names) {
        TablePlacement wanted = catalogued(name);
        if (!wanted.catalogued) {
            log::warn("table " + name +
                      " is not in the table catalogue (storage/tables.hpp): left on the Citus "
                      "coordinator");
        }
        std::optional<TablePlacement> now;
        {
            pqxx::read_transaction tx{session.impl().connection};
            const auto r = tx.exec_params(placed_sql, session.schema(), name);
            if (!r.empty()) {
                now = TablePlacement{
                    name, r[0][0].as<bool>() ? Placement::distributed : Placement::reference,
                    r[0][1].as<std::string>(), false, wanted.catalogued};
            }
        }
        if (now) {
            if (now->placement != wanted.placement || now->column != wanted.column) {
                log::warn("table " + name + " is already a " + placement_name(now->placement) +
                          " table" + (now->column.empty() ? "" : " on " + now->column) +
                          ", not as the catalogue says: left as it is");
            }
            layout.tables.push_back(*now);
            continue;
        }
        if (wanted.placement != Placement::coordinator) {
            wanted.changed = true;
            if (!dry_run) {
                log::info("Citus: making " + name + " a " + placement_name(wanted.placement) +
                          " table" + (wanted.column.empty() ? "" : " on " + wanted.column));
                place(session, wanted);
            }
        }
        layout.tables.push_back(wanted);
    }
    return layout;
}

} // namespace analytics::storage
