#pragma once

// The schema on a Citus cluster: when the database is a Citus coordinator
// with workers, each table of the schema is placed as the catalogue says
// (tables.hpp: raw tables distributed on their column, rollup tables as
// reference tables, bookkeeping tables on the coordinator). Idempotent: a
// table already placed is left as it is. Partitions created later follow
// their distributed parent by themselves.

#include <analytics/db/session.hpp>
#include <analytics/storage/tables.hpp>

#include <string>
#include <vector>

namespace analytics::storage {

struct CitusNode {
    std::string host;
    int port = 0;
    bool coordinator = false;
};

// The Citus cluster behind a session: empty `nodes` when the database has no
// Citus extension or no worker (then analytics uses it as a single server).
struct CitusCluster {
    std::vector<CitusNode> nodes; // coordinator (if registered) and workers, by group

    bool active() const;
};

CitusCluster citus_cluster(db::Session& session);

struct TablePlacement {
    std::string table;
    Placement placement = Placement::coordinator;
    std::string column;     // the distribution column, for a distributed table
    bool changed = false;   // placed by this run (or would be, in a dry run)
    bool catalogued = true; // false: unknown to tables.hpp, left on the coordinator
};

struct CitusLayout {
    CitusCluster cluster;
    std::vector<TablePlacement> tables; // every table of the schema, by name
};

// Places the schema's tables on the cluster (nothing when it is not one);
// with `dry_run`, only says what it would place.
CitusLayout place_on_citus(db::Session& session, bool dry_run);

const char* placement_name(Placement placement);

} // namespace analytics::storage
