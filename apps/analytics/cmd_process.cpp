#include "cmd_process.hpp"

#include "cli_support.hpp"

#include <analytics/db/session.hpp>
#include <analytics/jobs/process_buffer.hpp>
#include <analytics/jobs/reprocess.hpp>
#include <analytics/util/errors.hpp>

#include <iostream>

namespace analytics::app {

void ProcessCommand::add_options(CLI::App& app) {
    app.add_flag("--reprocess", m_reprocess,
                 "Recompute derived fields of stored rows from their raw fields (after a "
                 "configuration change) and mark the days dirty for rollup");
    add_day_range_options(app, "First day to reprocess (YYYY-MM-DD, local time)",
                          "Last day to reprocess (YYYY-MM-DD, inclusive)");
    app.add_option("--app", m_app, "Only rows of this application (app_name)")->type_name("NAME");
    add_batch_size_option(app);
    add_dry_run_option(app, "Report what would be processed; change nothing");
    app.footer("Example: analytics process --reprocess --from 2026-10-01 --to 2026-10-31");
}

void ProcessCommand::validate() {
    if (!m_reprocess && (from_given() || to_given() || !m_app.empty())) {
        throw UsageError("--from, --to and --app apply to --reprocess only");
    }
    if (m_reprocess && (!from_given() || !to_given())) {
        throw UsageError("--reprocess needs --from and --to");
    }
    parse_days();
}

int ProcessCommand::run(Context& context) {
    if (m_reprocess) {
        jobs::ReprocessOptions options;
        options.from = from_day();
        options.to = to_day();
        options.app = m_app;
        options.batch_size = batch_size(context.config);
        options.dry_run = dry_run();
        auto session = db::open_session({&context.config, context.global.db, name()});
        const auto summary = jobs::reprocess(session, context.config, options);
        write_summary(context, context.out, summary);
        context.metrics.gauge("analytics_reprocess_rows_changed", "Stored rows recomputed.",
                              static_cast<double>(summary.changed));
        return 0;
    }
    jobs::ProcessOptions options;
    options.batch_size = batch_size(context.config);
    options.dry_run = dry_run();
    options.now_us = context.now_us;
    const auto summary =
        jobs::process_buffer({&context.config, context.global.db, name()}, context.config, options);
    write_summary(context, context.out, summary);
    context.metrics.gauge("analytics_process_rows", "Buffer rows taken.",
                          static_cast<double>(summary.rows));
    context.metrics.gauge("analytics_process_stored", "Rows inserted into access_logs.",
                          static_cast<double>(summary.stored));
    context.metrics.gauge("analytics_process_rejected", "Buffer rows moved to ingest_rejects.",
                          static_cast<double>(summary.rejected));
    context.metrics.gauge("analytics_process_set_aside",
                          "Buffer rows of months already rolled up and dropped, moved to "
                          "ingest_rejects.",
                          static_cast<double>(summary.set_aside));
    return 0;
}

} // namespace analytics::app
