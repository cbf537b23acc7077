#include "cmd_report.hpp"

#include "cli_support.hpp"

namespace analytics::app {

void ReportCommand::add_options(CLI::App& app) {
    app.add_option("--from", m_from, "First day (YYYY-MM-DD; default: 30 days ago)")
        ->type_name("DATE");
    app.add_option("--to", m_to, "Last day (inclusive; default: yesterday)")->type_name("DATE");
    app.add_option("--top", m_top, "Rows per ranking")->check(CLI::Range(1, 1000))->type_name("N");
    app.add_option("--html", m_html, "Write a self-contained HTML page with charts to FILE")
        ->type_name("FILE");
    app.footer("Example: analytics report --top 20 --html usage.html");
}

int ReportCommand::run(Context&) {
    not_implemented("this command");
}

} // namespace analytics::app
