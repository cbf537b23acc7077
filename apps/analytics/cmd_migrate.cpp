#include "cmd_migrate.hpp"

#include <analytics/db/migrations.hpp>

#include <nlohmann/json.hpp>

namespace analytics::app {

void MigrateCommand::add_options(CLI::App& app) {
    add_dry_run_option(app,
                       "Print the SQL of the migrations that would be applied; change nothing");
    app.footer("Example: analytics --db service=analytics migrate");
}

int MigrateCommand::run(Context& context) {
    auto session =
        db::open_session({&context.config, context.global.db, name(), db::SchemaPolicy::none});
    const bool sql_to_stdout = dry_run() && !context.global.json;
    const auto result = db::migrate(session, {dry_run(), sql_to_stdout ? &context.out : nullptr,
                                              context.config.database.buffer_unlogged});

    if (context.global.json) {
        nlohmann::ordered_json j;
        j["schema"] = session.schema();
        j["dry_run"] = result.dry_run;
        j["from_version"] = result.from_version;
        j["to_version"] = result.to_version;
        j[dry_run() ? "pending" : "applied"] = nlohmann::ordered_json::array();
        for (const auto& m : result.pending) {
            nlohmann::ordered_json entry{{"version", m.version}, {"name", m.name}};
            if (dry_run()) {
                entry["sql"] = m.sql;
            }
            j[dry_run() ? "pending" : "applied"].push_back(entry);
        }
        j["buffer_set"] = nullptr;
        if (!result.buffer_set.empty()) {
            j["buffer_set"] = result.buffer_set;
        }
        context.out << j.dump(2) << "\n";
    } else if (dry_run()) {
        if (result.pending.empty() && result.buffer_set.empty()) {
            context.out << "-- schema \"" << session.schema() << "\" is up to date (version "
                        << result.from_version << "): nothing to apply\n";
        }
    } else if (!context.global.quiet) {
        if (result.pending.empty()) {
            context.out << "schema \"" << session.schema() << "\" is up to date (version "
                        << result.to_version << ")\n";
        } else {
            context.out << "schema \"" << session.schema() << "\" migrated from version "
                        << result.from_version << " to " << result.to_version << ":";
            for (const auto& m : result.pending) {
                context.out << " " << m.version << " (" << m.name << ")";
            }
            context.out << "\n";
        }
        if (!result.buffer_set.empty()) {
            context.out << "opentelemetry_buffer set " << result.buffer_set
                        << " (database.buffer_unlogged: "
                        << (context.config.database.buffer_unlogged ? "true" : "false") << ")\n";
        }
    }
    context.metrics.gauge("analytics_schema_version", "Schema version after the run.",
                          result.to_version);
    return 0;
}

} // namespace analytics::app
