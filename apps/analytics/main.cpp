// analytics: parse the command line, run one command, map every error to an
// exit status (SPEC §6). Nothing else happens here.

#include "cli_support.hpp"
#include "command.hpp"

#include <analytics/config/loader.hpp>
#include <analytics/db/error_table.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/log.hpp>
#include <analytics/util/pushgateway.hpp>
#include <analytics/version.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {

using namespace analytics;

log::Level log_level(const app::GlobalOptions& g) {
    if (g.quiet) {
        return log::Level::error;
    }
    if (g.verbose >= 2) {
        return log::Level::debug;
    }
    return g.verbose == 1 ? log::Level::info : log::Level::warn;
}

double unix_now() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

// --now, else ANALYTICS_NOW, else the clock; a date alone is local midnight.
std::int64_t resolve_now(const app::GlobalOptions& global, const config::Config& config) {
    std::string text = global.now;
    const char* source = "--now";
    if (text.empty()) {
        if (const char* env = std::getenv("ANALYTICS_NOW")) {
            text = env;
            source = "ANALYTICS_NOW";
        }
    }
    if (text.empty()) {
        using namespace std::chrono;
        return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    }
    const auto now = time::parse_any_time(text, time::LocalZone(config.timezone));
    if (!now) {
        throw UsageError(std::string(source) + ": \"" + text +
                         "\" is not a timestamp (e.g. 2026-11-22, 2026-11-22T04:45:00Z)");
    }
    return *now;
}

// The configuration's logging.root.level (geOrchestra's Python logging
// section) stands for -v, -vv or -q when the command line gives none of them.
app::GlobalOptions with_config_verbosity(const app::GlobalOptions& global,
                                         const config::Config& config, const std::string& command) {
    app::GlobalOptions effective = global;
    if (global.verbose > 0 || global.quiet || !config.log_verbosity) {
        return effective;
    }
    effective.quiet = *config.log_verbosity < 0;
    effective.verbose = *config.log_verbosity > 0 ? *config.log_verbosity : 0;
    log::configure(log_level(effective),
                   global.log_format == "json" ? log::Format::json : log::Format::text,
                   "analytics " + command);
    return effective;
}

// Pushes the run's metrics to metrics.pushgateway_url. A failure is logged
// and leaves the exit status alone: the run's own work is done by then.
void push_run_metrics(const MetricsFile& metrics, const config::Config::Metrics& m,
                      const std::string& command, int status) {
    // A failed run replaces only the metrics it sends, so the gateway keeps
    // the last success time of the run before.
    const bool succeeded = status == 0;
    try {
        push_metrics({m.pushgateway_url, m.pushgateway_job, command, m.pushgateway_timeout_seconds},
                     metrics.render(succeeded), succeeded);
    } catch (const std::exception& e) {
        log::error(std::string{e.what()} + " (metrics not pushed; the run itself is unaffected)");
    }
}

int run_command(app::Command& command, const app::GlobalOptions& global) {
    const double started = unix_now();
    MetricsFile metrics{command.name()};
    std::string metrics_path = global.metrics_file;
    config::Config config = config::defaults();
    int status = 0;
    try {
        command.validate();
        if (command.needs_config()) {
            config = config::load({global.config_path});
            metrics.set_georchestra_names(config.metrics.georchestra_names);
            if (metrics_path.empty() && config.metrics.enabled) {
                metrics_path = config.metrics.metrics_file_path;
            }
        }
        const app::GlobalOptions effective = with_config_verbosity(global, config, command.name());
        for (const auto& ignored : config.ignored_keys) {
            log::warn("configuration key ignored: " + ignored);
        }
        for (const auto& warning : config.warnings) {
            log::warn("configuration: " + warning);
        }
        app::Context context{effective, config, metrics, std::cout, resolve_now(global, config)};
        status = command.run(context);
    } catch (...) {
        const auto report = db::exit_report_for(std::current_exception());
        log::error(report.message);
        status = static_cast<int>(report.status);
    }
    std::cout.flush();
    const bool pushing = config.metrics.enabled && !config.metrics.pushgateway_url.empty();
    if (!metrics_path.empty() || pushing) {
        metrics.add_run_metrics(started, unix_now() - started, status, metrics_path);
        if (pushing) {
            push_run_metrics(metrics, config.metrics, command.name(), status);
        }
    }
    if (!metrics_path.empty()) {
        try {
            if (!metrics.write(metrics_path)) {
                // A good run stays good: the cron line works with or without node_exporter.
                log::warn("metrics not written: the directory of " + metrics_path +
                          " does not exist (is node_exporter's textfile collector installed?)");
            }
        } catch (const std::exception& e) {
            log::error(std::string{"cannot write metrics: "} + e.what());
            status = status == 0 ? static_cast<int>(ExitStatus::cant_create) : status;
        }
    }
    return status;
}

// "Exit status: 0 ok, 1 a step failed, ...", from the table of statuses.
std::string exit_status_help() {
    std::string text = "Exit status: ";
    const char* separator = "";
    for (const auto& entry : exit_statuses) {
        text += separator + std::to_string(static_cast<int>(entry.status)) + " " +
                std::string(entry.meaning);
        separator = ", ";
    }
    return text + ".";
}

const char* group_title(app::CommandGroup group) {
    switch (group) {
    case app::CommandGroup::core:
        return "Commands";
    case app::CommandGroup::supporting:
        return "Supporting commands";
    case app::CommandGroup::hidden:
        break;
    }
    return ""; // CLI11: not listed in --help
}

} // namespace

int main(int argc, char** argv) {
    app::GlobalOptions global;
    CLI::App cli{"Usage statistics for geospatial platforms: turns access logs and geoportal "
                 "events into PostgreSQL tables, and keeps that database healthy.",
                 "analytics"};
    cli.set_version_flag("--version", std::string{"analytics "} + analytics::version + " (git " +
                                          analytics::git_revision + ")");
    cli.footer("Run 'analytics COMMAND --help' for a command's options. " + exit_status_help());
    app::add_global_options(cli, global);

    auto commands = app::make_commands();
    std::vector<std::pair<CLI::App*, app::Command*>> subcommands;
    for (auto& [group, command] : commands) {
        auto* sub = cli.add_subcommand(command->name(), command->description());
        sub->group(group_title(group));
        command->add_options(*sub);
        app::add_global_options(*sub, global);
        subcommands.emplace_back(sub, command.get());
    }

    try {
        cli.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return cli.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return cli.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return cli.exit(e);
    } catch (const CLI::ParseError& e) {
        // CLI11's own codes (100+) collide with shell meanings: usage is 64.
        std::cerr << "analytics: " << e.what() << "\nRun 'analytics --help' for usage.\n";
        return static_cast<int>(ExitStatus::usage);
    }

    for (const auto& [sub, command] : subcommands) {
        if (sub->parsed()) {
            log::configure(log_level(global),
                           global.log_format == "json" ? log::Format::json : log::Format::text,
                           "analytics " + command->name());
            return run_command(*command, global);
        }
    }
    std::cerr << cli.help() << "\nanalytics: a command is required\n";
    return static_cast<int>(ExitStatus::usage);
}
