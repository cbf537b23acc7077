#include "cmd_size_report.hpp"

#include <analytics/storage/size_report.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/log.hpp>

namespace analytics::app {

void SizeReportCommand::add_options(CLI::App& app) {
    app.add_flag("--exact", m_exact, "Count rows exactly (slow on large tables)");
    app.add_flag("--csv", m_csv, "CSV on stdout");
    app.add_flag("--per-node", m_per_node,
                 "On a Citus cluster, each node's share of every table as well as their sum");
    app.footer("Example: analytics size-report --json | jq '.total.total_bytes'");
}

int SizeReportCommand::run(Context& context) {
    if (m_csv && context.global.json) {
        throw UsageError("--csv and --json exclude each other");
    }
    auto session = db::open_session({&context.config, context.global.db, name()});
    const auto report = storage::size_report(session, m_exact, m_per_node);
    if (m_per_node && !report.citus) {
        log::warn("--per-node: the database is not a Citus cluster; its sizes are its own");
    }
    if (context.global.json) {
        context.out << storage::to_json(report).dump(2) << "\n";
    } else if (m_csv) {
        context.out << storage::render_csv(report);
    } else {
        context.out << storage::render_text(report);
    }
    context.metrics.gauge("analytics_database_bytes", "Total bytes of the analytics schema.",
                          static_cast<double>(report.total.total_bytes));
    return 0;
}

} // namespace analytics::app
