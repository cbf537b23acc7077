#include "cmd_ingest.hpp"

#include "cli_support.hpp"

#include <analytics/util/errors.hpp>

namespace analytics::app {

void IngestCommand::add_options(CLI::App& app) {
    app.add_option("inputs", m_inputs, "Log files, globs, or - for stdin (.gz read transparently)")
        ->type_name("FILE|GLOB|-");
    add_choice_option(app, "-f,--format", m_format, input_formats(),
                      "Input format (default: auto, detected from the first lines)");
    app.add_option("-o,--output", m_output,
                   "Write the records as JSON lines to FILE (- for stdout) instead of loading "
                   "them: no database needed")
        ->type_name("FILE|-");
    app.add_option("--rejects", m_rejects, "Write rejected lines, with their reason, to FILE")
        ->type_name("FILE");
    app.add_option("--max-reject-ratio", m_max_reject_ratio,
                   "Exit 65 when more than this share of lines is rejected (default 0.01, "
                   "config ingest.max_reject_ratio)")
        ->check(CLI::Range(0.0, 1.0))
        ->type_name("RATIO");
    app.add_option("-e,--extra", m_extra,
                   "Set a field on every record, e.g. server_address=geo.example.org "
                   "(repeatable; values may contain '=')")
        ->type_name("KEY=VALUE");
    app.add_option("--source-name", m_source_name,
                   "Registry name for stdin, so that re-runs skip what was loaded")
        ->type_name("NAME");
    app.add_option("--batch-size", m_batch_size,
                   "Rows per committed batch (default: config performance.batch_size)")
        ->check(CLI::Range(1, 10'000'000))
        ->type_name("N");
    add_choice_option(app, "--progress", m_progress, {"auto", "always", "never"},
                      "Progress bar on stderr (auto: when stderr is a terminal)");
    app.add_flag("-n,--dry-run", m_dry_run, "Parse and report; write nothing");
    app.add_flag("--force", m_force,
                 "Re-read inputs the registry marks as loaded (rows are still de-duplicated)");
    app.footer("Example: analytics ingest --format combined /var/log/nginx/access.log*");
}

void IngestCommand::validate() {
    for (const auto& extra : m_extra) {
        const auto eq = extra.find('=');
        if (eq == std::string::npos || eq == 0) {
            throw UsageError("--extra expects KEY=VALUE, got \"" + extra + "\"");
        }
    }
}

int IngestCommand::run(Context&) {
    not_implemented("this command");
}

} // namespace analytics::app
