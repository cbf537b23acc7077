#include "cmd_generate.hpp"

#include "cli_support.hpp"

namespace analytics::app {

void GenerateCommand::add_options(CLI::App& app) {
    std::vector<std::string> formats(input_formats().begin() + 1, input_formats().end());
    add_choice_option(app, "-f,--format", m_format, formats, "Output log format");
    app.add_option("--from", m_from, "Start time (ISO 8601; default: 24 hours ago)")
        ->type_name("TIME");
    app.add_option("--to", m_to, "End time (ISO 8601; default: now)")->type_name("TIME");
    app.add_option("--rate", m_rate, "Average requests per hour")
        ->check(CLI::PositiveNumber)
        ->type_name("N");
    app.add_option("--seed", m_seed, "Random seed: the same seed gives the same output")
        ->type_name("S");
    app.add_option("-o,--output", m_output, "Output file (- for stdout)")->type_name("FILE|-");
    app.footer("Example: analytics generate --format combined --rate 5000 --seed 7 -o sample.log");
}

int GenerateCommand::run(Context&) {
    not_implemented("this command");
}

} // namespace analytics::app
