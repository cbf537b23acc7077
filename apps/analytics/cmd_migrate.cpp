#include "cmd_migrate.hpp"

#include <analytics/db/migrations.hpp>
#include <analytics/storage/citus_layout.hpp>
#include <analytics/storage/georchestra_adoption.hpp>
#include <analytics/util/json_document.hpp>
#include <analytics/util/text.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace analytics::app {

namespace {

std::string node_list(const storage::CitusCluster& cluster) {
    std::string out;
    for (const auto& node : cluster.nodes) {
        if (!node.coordinator) {
            out += (out.empty() ? "" : ", ") + node.host + ":" + std::to_string(node.port);
        }
    }
    return out;
}

// What migrate says of the tables it placed on a Citus cluster (nothing on a
// single server).
void print_citus(std::ostream& out, const storage::CitusLayout& layout, bool dry_run) {
    if (!layout.cluster.active()) {
        return;
    }
    const char* prefix = dry_run ? "-- " : "";
    out << prefix << "Citus coordinator, workers " << node_list(layout.cluster) << ":\n";
    for (const auto& t : layout.tables) {
        out << prefix << "  " << t.table << ": " << storage::placement_name(t.placement)
            << (t.column.empty() ? "" : " on " + t.column)
            << (t.changed ? (dry_run ? " (would be placed)" : " (placed now)") : "") << "\n";
    }
}

nlohmann::ordered_json citus_json(const storage::CitusLayout& layout) {
    nlohmann::ordered_json j;
    j["workers"] = nlohmann::ordered_json::array();
    for (const auto& node : layout.cluster.nodes) {
        if (!node.coordinator) {
            j["workers"].push_back(node.host + ":" + std::to_string(node.port));
        }
    }
    j["tables"] = nlohmann::ordered_json::array();
    for (const auto& t : layout.tables) {
        j["tables"].push_back({{"table", t.table},
                               {"placement", storage::placement_name(t.placement)},
                               {"column", text_or_null(t.column)},
                               {"changed", t.changed}});
    }
    return j;
}

} // namespace

void MigrateCommand::add_options(CLI::App& app) {
    add_dry_run_option(app,
                       "Print the SQL of the migrations that would be applied; change nothing");
    app.add_flag("--adopt", m_adopt,
                 "Take over a geOrchestra database (TimescaleDB access_logs and ogc_summary_*) "
                 "in the configured schema: move its objects aside, create analytics' schema, "
                 "copy the history a day at a time (re-runnable, resumable)");
    app.footer("Example: analytics --db service=analytics migrate");
}

int MigrateCommand::adopt(Context& context) {
    storage::AdoptOptions options;
    options.dry_run = dry_run();
    // A line per day on stderr unless --quiet: an adoption of years of
    // history runs for hours, and its admin wants to see it move.
    if (!context.global.quiet) {
        options.progress = [](const std::string& day, std::int64_t copied, std::int64_t total) {
            std::cerr << "analytics migrate: adopt: " << day << " copied, "
                      << with_thousands(copied) << " of " << with_thousands(total) << " rows"
                      << std::endl;
        };
    }
    const auto r = storage::adopt_georchestra(
        {&context.config, context.global.db, name(), db::SchemaPolicy::none}, context.config,
        options);
    if (context.global.json) {
        nlohmann::ordered_json j;
        j["schema"] = r.schema;
        j["dry_run"] = r.dry_run;
        j["georchestra_schema"] = r.aside_schema;
        j["switched"] = r.switched;
        j["buffer_rows_moved"] = r.buffer_rows;
        j["aggregate_rows_kept"] = r.aggregate_rows;
        j["source_rows"] = r.source_rows;
        j["first_raw"] = text_or_null(r.first_raw);
        j["last_raw"] = text_or_null(r.last_raw);
        j["days"] = r.days;
        j["copied_rows"] = r.copied_rows;
        j["complete"] = r.complete;
        context.out << j.dump(2) << "\n";
        return 0;
    }
    if (context.global.quiet) {
        return 0;
    }
    auto& out = context.out;
    if (r.dry_run) {
        if (r.switched) {
            out << "would move geOrchestra's objects of schema \"" << r.schema << "\" to schema \""
                << r.aside_schema << "\", create analytics' schema \"" << r.schema
                << "\" in their place, and move opentelemetry_buffer's " << r.buffer_rows
                << " rows into it (Vector's inserts wait for that one transaction)\n";
            out << "would keep " << with_thousands(r.aggregate_rows)
                << " ogc_summary rows of the periods before the first raw row\n";
        }
        out << (r.complete ? "nothing left to copy: " : "would copy ")
            << with_thousands(r.source_rows) << " access_logs rows"
            << (r.first_raw.empty() ? "" : " (" + r.first_raw + " to " + r.last_raw + ")");
        if (!r.complete) {
            out << ", " << r.days << " days left, one transaction each";
        }
        out << "\n";
        return 0;
    }
    if (r.switched) {
        out << "geOrchestra's objects moved to schema \"" << r.aside_schema
            << "\"; analytics' schema \"" << r.schema << "\" took its place (" << r.buffer_rows
            << " buffer rows moved, " << with_thousands(r.aggregate_rows)
            << " ogc_summary rows kept for the periods without raw rows)\n";
    }
    if (r.days == 0) {
        out << "adoption complete: " << with_thousands(r.source_rows)
            << " access_logs rows copied before; nothing to do\n";
    } else {
        out << "copied " << with_thousands(r.copied_rows) << " access_logs rows in " << r.days
            << " days (" << with_thousands(r.source_rows)
            << " in geOrchestra's table); run 'analytics maintain' to roll them up\n";
    }
    return 0;
}

int MigrateCommand::run(Context& context) {
    if (m_adopt) {
        return adopt(context);
    }
    auto session =
        db::open_session({&context.config, context.global.db, name(), db::SchemaPolicy::none});
    const bool sql_to_stdout = dry_run() && !context.global.json;
    const auto result = db::migrate(session, {dry_run(), sql_to_stdout ? &context.out : nullptr,
                                              context.config.database.buffer_unlogged});
    const auto citus = storage::place_on_citus(session, dry_run());

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
        if (citus.cluster.active()) {
            j["citus"] = citus_json(citus);
        }
        context.out << j.dump(2) << "\n";
    } else if (dry_run()) {
        if (result.pending.empty() && result.buffer_set.empty()) {
            context.out << "-- schema \"" << session.schema() << "\" is up to date (version "
                        << result.from_version << "): nothing to apply\n";
        }
        print_citus(context.out, citus, true);
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
        print_citus(context.out, citus, false);
    }
    context.metrics.gauge("analytics_schema_version", "Schema version after the run.",
                          result.to_version);
    return 0;
}

} // namespace analytics::app
