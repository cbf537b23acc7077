#include "cmd_maintain.hpp"

#include "cli_support.hpp"

#include <analytics/maintain/maintain.hpp>
#include <analytics/util/errors.hpp>

namespace analytics::app {

void MaintainCommand::add_options(CLI::App& app) {
    app.add_flag("--wait", m_wait, "Wait for another running maintain instead of exiting 75");
    app.add_flag("--process-buffer", m_process_buffer,
                 "Also drain the OpenTelemetry buffer (as 'analytics process') before rollups");
    add_dry_run_option(app, "Say exactly what would be created, rolled up, dropped and pruned "
                            "(computed in a transaction that is rolled back); change nothing");
    app.footer("Example (cron): 15 3 * * * analytics maintain --metrics-file "
               "/var/lib/prometheus/node-exporter/analytics.prom");
}

int MaintainCommand::run(Context& context) {
    maintain::MaintainOptions options;
    options.wait = m_wait;
    options.process_buffer = m_process_buffer;
    options.dry_run = dry_run();
    options.now_us = context.now_us;
    options.batch_size = static_cast<std::size_t>(context.config.performance.batch_size);
    const auto summary = maintain::run_maintain({&context.config, context.global.db, name()},
                                                context.config, options);
    write_summary(context, context.out, summary, summary.failed());
    if (!dry_run()) {
        for (const auto& step : summary.steps) {
            const std::string label = "step=\"" + step.name + "\"";
            context.metrics.gauge("analytics_maintain_step_duration_seconds",
                                  "Duration of each maintain step.", step.seconds, label);
            context.metrics.gauge("analytics_maintain_step_success",
                                  "1 when the step succeeded, 0 when it failed.",
                                  step.error.empty() ? 1.0 : 0.0, label);
        }
        std::uint64_t rows = 0, days = 0;
        for (const auto& job : summary.rollup.jobs) {
            rows += job.rows;
            days += job.days.size();
        }
        context.metrics.gauge("analytics_rollup_days", "Days rolled up.",
                              static_cast<double>(days));
        context.metrics.gauge("analytics_rollup_rows", "Rollup rows written.",
                              static_cast<double>(rows));
        context.metrics.gauge("analytics_partitions_created", "Monthly partitions created.",
                              static_cast<double>(summary.partitions.created()));
        context.metrics.gauge("analytics_partitions_dropped", "Raw partitions dropped.",
                              static_cast<double>(summary.retention.dropped.size()));
        if (summary.process) {
            context.metrics.gauge("analytics_process_stored", "Rows inserted into access_logs.",
                                  static_cast<double>(summary.process->stored));
        }
    }
    if (summary.failed()) {
        throw StepFailed("a maintain step failed (the summary says which); the others ran");
    }
    return 0;
}

} // namespace analytics::app
