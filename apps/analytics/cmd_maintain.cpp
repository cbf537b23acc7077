#include "cmd_maintain.hpp"

#include "cli_support.hpp"

namespace analytics::app {

void MaintainCommand::add_options(CLI::App& app) {
    app.add_flag("--wait", m_wait, "Wait for another running maintain instead of exiting 75");
    app.add_flag("--process-buffer", m_process_buffer,
                 "Also drain the OpenTelemetry buffer (as 'analytics process') before rollups");
    app.add_flag("-n,--dry-run", m_dry_run,
                 "List what would be created, rolled up and dropped; change nothing");
    app.footer("Example (cron): 15 3 * * * analytics maintain --metrics-file "
               "/var/lib/prometheus/node-exporter/analytics.prom");
}

int MaintainCommand::run(Context&) {
    not_implemented("this command");
}

} // namespace analytics::app
