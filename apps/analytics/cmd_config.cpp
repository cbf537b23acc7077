#include "cmd_config.hpp"

#include <analytics/config/show.hpp>
#include <analytics/enrich/geoip.hpp>

namespace analytics::app {

void ConfigCommand::add_options(CLI::App& app) {
    app.require_subcommand(1);
    auto* show = app.add_subcommand(
        "show", "Print every key with its value and where it was set (YAML, or --json)");
    show->fallthrough();
    show->callback([this] { m_action = "show"; });
    auto* check = app.add_subcommand("check", "Validate the configuration; exit 78 if invalid");
    check->fallthrough();
    check->callback([this] { m_action = "check"; });
    app.footer("Example: analytics --config /etc/analytics/config.yaml config show");
}

int ConfigCommand::run(Context& context) {
    const auto& config = context.config;
    if (m_action == "check") {
        // The files the configuration names and ingest opens: exit 78 here
        // rather than at the first ingest.
        const auto countries = enrich::country_database(config);
        if (context.global.json) {
            nlohmann::ordered_json j{{"valid", true}, {"file", config.source_file}};
            if (countries) {
                j["geoip"] = countries->description();
            }
            context.out << j.dump(2) << "\n";
        } else if (!context.global.quiet) {
            context.out << "configuration is valid ("
                        << (config.source_file.empty() ? "defaults only, no file"
                                                       : config.source_file)
                        << ")\n";
            if (countries) {
                context.out << "geoip.database: " << countries->description() << "\n";
            }
        }
        return 0;
    }
    if (context.global.json) {
        context.out << config::to_json(config).dump(2) << "\n";
    } else {
        context.out << config::to_yaml(config);
    }
    return 0;
}

} // namespace analytics::app
