#include "cmd_report.hpp"

#include "cli_support.hpp"

#include <analytics/db/session.hpp>
#include <analytics/report/report.hpp>
#include <analytics/time/instant.hpp>
#include <analytics/util/atomic_file.hpp>
#include <analytics/util/errors.hpp>

#include <filesystem>
#include <system_error>
#include <utility>

namespace analytics::app {

void ReportCommand::add_options(CLI::App& app) {
    add_day_range_options(app,
                          "First day: YYYY-MM-DD, or a time as generate takes it (-7d, now, ISO "
                          "8601), its local day (default: 29 days before --to)",
                          "Last day, inclusive, as --from (default: the last day rolled up)");
    app.add_option("--app", m_filters.app, "Only the OGC requests of this application (app_name)")
        ->type_name("NAME");
    app.add_option("--workspace", m_filters.workspace,
                   "Only the OGC requests naming a layer of this workspace")
        ->type_name("NAME");
    app.add_option("--service", m_filters.service,
                   "Only the OGC requests of this service (WMS, WFS, WMTS, …; any case)")
        ->type_name("NAME");
    app.add_option("--top", m_top, "Rows per ranking (default 10)")
        ->check(CLI::Range(1, 1000))
        ->type_name("N");
    app.add_option("--html", m_html,
                   "Write a self-contained HTML page with charts to FILE (- for stdout) instead "
                   "of tables")
        ->type_name("FILE|-");
    app.footer("Requests are shown per day up to 62 days, per week up to two years, per month\n"
               "beyond, each total beside that of the period of the same length just before.\n"
               "Days whose daily rollups were pruned (retention.daily_rollups) are read from the\n"
               "monthly ones: OGC requests only, per month, the range widened to whole monthly\n"
               "rows; the report says so.\n\n"
               "Example: analytics report --from -7d --service WMS --html usage.html");
}

void ReportCommand::validate() {
    // Only the text here: its day depends on the database's time zone.
    for (const auto& [option, text] : {std::pair{"--from", &from_text()}, {"--to", &to_text()}}) {
        try {
            if (!text->empty()) {
                time::parse_instant(*text, 0, "UTC");
            }
        } catch (const UsageError& e) {
            throw UsageError(std::string(option) + " expects a date or a time: " + e.what());
        }
    }
}

int ReportCommand::run(Context& context) {
    if (m_html == "-" && context.global.json) {
        throw UsageError("--html - and --json would both write to stdout: choose one");
    }
    report::ReportOptions options;
    options.title = context.config.title;
    options.from = from_text();
    options.to = to_text();
    options.filters = m_filters;
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
