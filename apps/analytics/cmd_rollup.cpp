#include "cmd_rollup.hpp"

#include "cli_support.hpp"

namespace analytics::app {

void RollupCommand::add_options(CLI::App& app) {
    app.add_option("--from", m_from, "Recompute from this day (YYYY-MM-DD), ignoring checkpoints")
        ->type_name("DATE");
    app.add_option("--to", m_to, "Recompute up to this day (inclusive)")->type_name("DATE");
    add_choice_option(app, "--job", m_job, rollup_jobs(), "Only this rollup job");
    app.add_flag("-n,--dry-run", m_dry_run, "Print the days that would be rolled up");
    app.footer("Example: analytics rollup --job ogc --from 2026-11-01 --to 2026-11-07");
}

int RollupCommand::run(Context&) {
    not_implemented("this command");
}

} // namespace analytics::app
