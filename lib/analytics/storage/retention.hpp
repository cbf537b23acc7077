#pragma once

// Retention (SPEC §2 `maintain`): a raw monthly partition is dropped only
// when its whole month is older than the table's retention and every rollup
// job reading the table has rolled up the month's last local day (and has
// no dirty day left in it). Rollup tables are pruned per their own
// retention. Dropping a partition is constant time; it never touches rollups.

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace analytics::storage {

struct RetentionAction {
    std::string table;
    std::string partition;    // raw partition dropped (or to drop), empty for a rollup prune
    std::uint64_t rows = 0;   // rollup rows deleted
    std::string kept_because; // set when an expired month was kept
};

struct RetentionSummary {
    std::vector<RetentionAction> dropped; // partitions dropped
    std::vector<RetentionAction> kept;    // expired months kept (not rolled up yet)
    std::vector<RetentionAction> pruned;  // rollup tables pruned
    std::vector<std::string> errors;      // per table, the others still ran
    bool dry_run = false;
};

RetentionSummary apply_retention(db::Session& session, const config::Config& config,
                                 std::int64_t now_us, bool dry_run);

} // namespace analytics::storage
