#include "cmd_generate.hpp"

#include "cli_support.hpp"

#include <analytics/generate/generate.hpp>
#include <analytics/time/instant.hpp>

#include <iostream>

namespace analytics::app {

void GenerateCommand::add_options(CLI::App& app) {
    add_choice_option(app, "-f,--format", m_format, generate::generate_format_names(),
                      "Log format to write");
    app.add_option("--from", m_from, "Start: ISO 8601, now, or -7d / -12h (default: -24h)")
        ->type_name("TIME");
    app.add_option("--to", m_to, "End, exclusive (default: now)")->type_name("TIME");
    app.add_option("--rate", m_rate,
                   "Average requests (events: beacons) per hour; the day and week shape it")
        ->check(CLI::PositiveNumber)
        ->type_name("N");
    app.add_option("--seed", m_seed, "Random seed: the same seed gives the same output")
        ->type_name("S");
    app.add_option("-o,--output", m_output, "Output file, gzip when it ends in .gz (- for stdout)")
        ->type_name("FILE|-");
    app.footer("Example: analytics generate --format combined --from -7d --rate 2000 -o "
               "access.log.gz");
}

int GenerateCommand::run(Context& context) {
    const std::string& zone = context.config.timezone;
    generate::GenerateOptions options;
    options.format = m_format;
    options.from_us = time::parse_instant(m_from.empty() ? "-24h" : m_from, context.now_us, zone);
    options.to_us = time::parse_instant(m_to.empty() ? "now" : m_to, context.now_us, zone);
    options.rate_per_hour = m_rate;
    options.seed = m_seed;
    const auto output = generate::open_log_output(m_output);
    auto summary = generate::generate_logs(options, context.config, *output);
    summary.output = m_output;
    context.metrics.gauge("analytics_generate_lines", "Lines written.",
                          static_cast<double>(summary.lines));
    // The logs may be on stdout: the summary goes there only when they are not.
    if (m_output != "-") {
        write_summary(context, context.out, summary);
    } else if (!context.global.quiet && context.global.verbose > 0) {
        std::cerr << summary.to_text();
    }
    return 0;
}

} // namespace analytics::app
