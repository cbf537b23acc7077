#include "cmd_ensure_partitions.hpp"

#include "cli_support.hpp"

namespace analytics::app {

void EnsurePartitionsCommand::add_options(CLI::App& app) {
    app.add_flag("-n,--dry-run", m_dry_run, "Print the partitions that would be created");
    app.footer("Example: ANALYTICS_PARTITION_FUTURE_MONTHS=6 analytics ensure-partitions");
}

int EnsurePartitionsCommand::run(Context&) {
    not_implemented("this command");
}

} // namespace analytics::app
