#include "cmd_report.hpp"

#include "cli_support.hpp"

#include <analytics/db/session.hpp>
#include <analytics/report/report.hpp>
#include <analytics/util/atomic_file.hpp>
#include <analytics/util/errors.hpp>

#include <filesystem>
#include <system_error>

namespace analytics::app {

void ReportCommand::add_options(CLI::App& app) {
    add_day_range_options(app, "First day, YYYY-MM-DD (default: 29 days before --to)",
                          "Last day, inclusive (default: the last day rolled up)");
    app.add_option("--top", m_top, "Rows per ranking (default 10)")
        ->check(CLI::Range(1, 1000))
        ->type_name("N");
    app.add_option("--html", m_html,
                   "Write a self-contained HTML page with charts to FILE (- for stdout) instead "
                   "of tables")
        ->type_name("FILE|-");
    app.footer("Days whose daily rollups were pruned (retention.daily_rollups) are read from the\n"
               "monthly ones: OGC requests only, per month, the range widened to whole monthly\n"
               "rows; the report says so.\n\n"
               "Example: analytics report --from 2026-11-01 --to 2026-11-30 --html usage.html");
}

void ReportCommand::validate() {
    parse_days();
}

int ReportCommand::run(Context& context) {
    if (m_html == "-" && context.global.json) {
        throw UsageError("--html - and --json would both write to stdout: choose one");
    }
    report::ReportOptions options;
    options.from = from_day();
    options.to = to_day();
    options.top = m_top;
    options.now_us = context.now_us;
    options.daily_rollups_days = context.config.retention.daily_rollups;
    auto session = db::open_session({&context.config, context.global.db, name()});
    const auto result = report::build_report(session, options);
    if (!m_html.empty()) {
        try {
            write_file_atomically(m_html, report::report_html(result));
        } catch (const std::system_error& e) {
            throw OutputError(e.what());
        }
        if (m_html == "-") {
            // The page is the output: nothing else goes to stdout.
        } else if (context.global.json) {
            context.out << report::report_json(result) << "\n";
        } else if (!context.global.quiet) {
            context.out << "HTML report of " << result.from << " to " << result.to << " written to "
                        << std::filesystem::absolute(m_html).string()
                        << " (open it in a browser)\n";
        }
    } else {
        context.out << (context.global.json ? report::report_json(result) + "\n"
                                            : report::report_text(result));
    }
    context.out.flush();
    context.metrics.gauge("analytics_report_requests", "Requests in the report's range.",
                          static_cast<double>(result.requests));
    return 0;
}

} // namespace analytics::app
