#pragma once

// What every table and partition of the schema weighs (SPEC §2 size-report).

#include <analytics/db/session.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace analytics::storage {

struct RelationSize {
    std::string name;
    std::string kind; // "table", "unlogged table", "partitioned", "partition", "total"
    std::string parent;
    std::int64_t rows = 0;
    std::int64_t table_bytes = 0; // heap, free space map and visibility map
    std::int64_t index_bytes = 0;
    std::int64_t toast_bytes = 0; // TOAST table and its index
    std::int64_t total_bytes = 0;
    std::string first_month; // "YYYY-MM" (local time), empty when not a monthly range
    std::string last_month;
    std::vector<RelationSize> partitions; // for "partitioned": its partitions
    // On a Citus cluster: its share on each node ("host:port"; kind "node"),
    // the sizes above being their sum (a reference table's copies included).
    std::vector<RelationSize> nodes;
};

struct SizeReport {
    std::string schema;
    bool exact_rows = false;
    std::vector<RelationSize> relations; // largest first; partitions under their parent
    RelationSize total;
    int table_count = 0; // plain and partitioned tables
    int partition_count = 0;
    bool citus = false;    // sizes summed over the nodes of a Citus cluster
    bool per_node = false; // renderings show each node's share
};

// Reads sizes from the catalog; rows are the statistics' estimates unless
// 'exact_rows', which counts them (slow on big tables). On a Citus
// coordinator the distributed and reference tables' sizes are read on every
// node holding their shards (citus_sizes.hpp), and 'per_node' keeps each
// node's share for the renderings.
SizeReport size_report(db::Session& session, bool exact_rows, bool per_node = false);

// Renderings. Text is for people, JSON and CSV for programs.
std::string render_text(const SizeReport& report);
nlohmann::ordered_json to_json(const SizeReport& report);
std::string render_csv(const SizeReport& report);

// 1536 -> "1.5 KB" (powers of 1024).
std::string human_bytes(std::int64_t bytes);

} // namespace analytics::storage
