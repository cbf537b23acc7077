#include "cli_support.hpp"

#include <analytics/ingest/formats.hpp>
#include <analytics/storage/rollup_jobs.hpp>

namespace analytics::app {

namespace {

std::map<std::string, std::vector<std::string>>& choices_registry() {
    static std::map<std::string, std::vector<std::string>> registry;
    return registry;
}

} // namespace

std::string command_path(const CLI::App& app) {
    std::string path;
    for (const CLI::App* a = &app; a != nullptr && a->get_parent() != nullptr;
         a = a->get_parent()) {
        path = path.empty() ? a->get_name() : a->get_name() + " " + path;
    }
    return path;
}

void add_global_options(CLI::App& app, GlobalOptions& g) {
    const std::string group = "Global options";
    app.add_option("--config", g.config_path,
                   "Configuration file (env ANALYTICS_CONFIG; default "
                   "~/.config/analytics/config.yaml or /etc/analytics/config.yaml if present)")
        ->type_name("FILE")
        ->group(group);
    app.add_option("--db", g.db,
                   "Database: libpq conninfo or URI, no password (env ANALYTICS_DB, "
                   "DATABASE_URL, PG*; default: the embedded database)")
        ->type_name("CONNINFO")
        ->group(group);
    app.add_flag("-v,--verbose", g.verbose, "More log output on stderr (-vv for debug)")
        ->group(group);
    app.add_flag("-q,--quiet", g.quiet,
                 "Only errors on stderr, and no summary of a successful run on stdout (for cron)")
        ->group(group);
    add_choice_option(app, "--log-format", g.log_format, {"text", "json"}, "Log format on stderr")
        ->group(group);
    app.add_flag("--json", g.json, "Machine-readable summary on stdout")->group(group);
    app.add_option("--metrics-file", g.metrics_file,
                   "Write Prometheus textfile metrics to PATH (atomically)")
        ->type_name("PATH")
        ->group(group);
    app.add_option("--now", g.now,
                   "For testing: take this instant as now, e.g. 2026-11-22 or "
                   "2026-11-22T04:45:00+01:00 (env ANALYTICS_NOW)")
        ->type_name("TIMESTAMP")
        ->group(group);
}

CLI::Option* add_choice_option(CLI::App& app, const std::string& flags, std::string& value,
                               const std::vector<std::string>& choices,
                               const std::string& description) {
    std::string choice_text;
    for (const auto& c : choices) {
        choice_text += choice_text.empty() ? c : "|" + c;
    }
    auto* option = app.add_option(flags, value, description)
                       ->check(CLI::IsMember(choices).description(""))
                       ->type_name(choice_text);
    // Keyed "<path> --long" for options, "<path> name" for positionals.
    const std::string key =
        option->get_lnames().empty() ? option->get_name() : "--" + option->get_lnames().front();
    choices_registry()[command_path(app) + " " + key] = choices;
    for (const auto& short_name : option->get_snames()) {
        choices_registry()[command_path(app) + " -" + short_name] = choices;
    }
    return option;
}

const std::map<std::string, std::vector<std::string>>& recorded_choices() {
    return choices_registry();
}

const std::vector<std::string>& input_formats() {
    static const std::vector<std::string> formats = ingest::format_names();
    return formats;
}

const std::vector<std::string>& rollup_jobs() {
    return storage::rollup_job_names();
}

} // namespace analytics::app
