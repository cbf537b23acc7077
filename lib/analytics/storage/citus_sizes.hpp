#pragma once

// Sizes of a Citus table, read on the nodes that hold its shards: the
// coordinator's shell of a distributed table holds no rows.

#include <analytics/db/session_impl.hpp>
#include <analytics/storage/size_report.hpp>

#include <optional>
#include <string>
#include <vector>

namespace analytics::storage {

struct CitusTableSizes {
    bool reference = false;          // every node holds a copy of every row
    std::vector<RelationSize> nodes; // per node ("host:port"), by name
};

// The sizes of schema.table on each node holding a placement of it, or
// nothing when it is not a Citus table (or the database has no Citus).
// Throws DbUnavailable when a node does not answer.
std::optional<CitusTableSizes> citus_table_sizes(pqxx::transaction_base& tx,
                                                 const std::string& schema,
                                                 const std::string& table, bool exact_rows);

// Whether the database has the Citus extension.
bool has_citus(pqxx::transaction_base& tx);

} // namespace analytics::storage
