#include "cmd_rollup.hpp"

#include "cli_support.hpp"

#include <analytics/db/session.hpp>
#include <analytics/storage/rollup.hpp>
#include <analytics/util/errors.hpp>

namespace analytics::app {

void RollupCommand::add_options(CLI::App& app) {
    add_day_range_options(app, "Recompute from this day (YYYY-MM-DD), ignoring checkpoints",
                          "Recompute up to this day (inclusive)");
    add_choice_option(app, "--job", m_job, rollup_jobs(), "Only this rollup job");
    add_dry_run_option(app, "Print the days and rows that would be rolled up (computed in a "
                            "transaction that is rolled back)");
    app.footer("Example: analytics rollup --job ogc --from 2026-11-01 --to 2026-11-07");
}

void RollupCommand::validate() {
    if (from_given() != to_given()) {
        throw UsageError("--from and --to go together");
    }
    parse_days();
}

int RollupCommand::run(Context& context) {
    storage::RollupOptions options;
    options.job = m_job;
    options.from = from_day();
    options.to = to_day();
    options.dry_run = dry_run();
    options.now_us = context.now_us;
    auto session = db::open_session({&context.config, context.global.db, name()});
    const auto summary = storage::rollup(session, context.config, options);
    write_summary(context, context.out, summary, summary.failed());
    if (!dry_run()) {
        std::uint64_t rows = 0;
        for (const auto& job : summary.jobs) {
            rows += job.rows;
            context.metrics.gauge("analytics_rollup_days", "Days rolled up.",
                                  static_cast<double>(job.days.size()), "job=\"" + job.job + "\"");
        }
        context.metrics.gauge("analytics_rollup_rows", "Rollup rows written.",
                              static_cast<double>(rows));
    }
    if (summary.failed()) {
        throw StepFailed("a rollup day failed (the summary says which); the other jobs ran");
    }
    return 0;
}

} // namespace analytics::app
