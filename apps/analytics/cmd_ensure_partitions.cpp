#include "cmd_ensure_partitions.hpp"

#include "cli_support.hpp"

#include <analytics/db/session.hpp>
#include <analytics/storage/ensure_partitions.hpp>

namespace analytics::app {

void EnsurePartitionsCommand::add_options(CLI::App& app) {
    add_dry_run_option(app, "Print the partitions that would be created");
    app.footer("Example: ANALYTICS_PARTITION_FUTURE_MONTHS=6 analytics ensure-partitions");
}

int EnsurePartitionsCommand::run(Context& context) {
    auto session = db::open_session({&context.config, context.global.db, name()});
    const auto summary =
        storage::ensure_partitions(session, context.config, context.now_us, dry_run());
    write_summary(context, context.out, summary);
    if (!dry_run()) {
        context.metrics.gauge("analytics_partitions_created", "Monthly partitions created.",
                              static_cast<double>(summary.created()));
    }
    return 0;
}

} // namespace analytics::app
