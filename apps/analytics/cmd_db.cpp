#include "cmd_db.hpp"

#include <analytics/db/conninfo.hpp>
#include <analytics/db/embedded_cluster.hpp>
#include <analytics/db/psql.hpp>
#include <analytics/util/conninfo_mask.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/log.hpp>

#include <nlohmann/json.hpp>

namespace analytics::app {

namespace {

const char* state_name(db::ClusterState state) {
    switch (state) {
    case db::ClusterState::not_initialized:
        return "not initialized";
    case db::ClusterState::stopped:
        return "stopped";
    case db::ClusterState::running:
        return "running";
    }
    return "unknown";
}

} // namespace

void DbCommand::add_options(CLI::App& app) {
    app.require_subcommand(1);

    struct Action {
        const char* name;
        const char* description;
    };

    for (const Action& a :
         {Action{"status", "Show which database is used and whether the embedded one runs"},
          Action{"start", "Create (first time) and start the embedded database"},
          Action{"stop", "Stop the embedded database"},
          Action{"path", "Print the directory of the embedded database ($ANALYTICS_HOME)"}}) {
        auto* sub = app.add_subcommand(a.name, a.description);
        sub->fallthrough(); // global options given after the action still work
        sub->callback([this, name = std::string{a.name}] { m_action = name; });
    }
    m_psql = app.add_subcommand("psql", "Run psql on the configured database; ARGS go to psql");
    m_psql->prefix_command();
    m_psql->callback([this] {
        m_action = "psql";
        m_psql_args = m_psql->remaining();
    });
    app.footer("Example: analytics db psql -At -c 'SELECT count(*) FROM access_logs'");
}

int DbCommand::run(Context& context) {
    if (m_action == "status") {
        return status(context);
    }
    if (m_action == "start") {
        return start(context);
    }
    if (m_action == "stop") {
        return stop(context);
    }
    if (m_action == "path") {
        return path(context);
    }
    db::exec_psql({&context.config, context.global.db, "psql"}, m_psql_args);
}

int DbCommand::status(Context& context) {
    const auto env = config::process_env();
    const auto target = db::resolve_target(context.global.db, context.config.database, env);
    auto cluster = db::EmbeddedCluster::from_env(env);
    const auto embedded = cluster.status();
    if (context.global.json) {
        nlohmann::ordered_json j;
        j["database"] = target.kind == db::TargetKind::embedded ? "embedded" : "external";
        j["source"] = target.source;
        j["conninfo"] = target.kind == db::TargetKind::embedded ? cluster.conninfo()
                                                                : mask_password(target.conninfo);
        j["embedded"]["home"] = cluster.home();
        j["embedded"]["state"] = state_name(embedded.state);
        j["embedded"]["pid"] =
            embedded.pid ? nlohmann::ordered_json(*embedded.pid) : nlohmann::ordered_json();
        j["embedded"]["server_version"] = embedded.server_version;
        j["embedded"]["socket_dir"] = cluster.socket_dir();
        context.out << j.dump(2) << "\n";
        return 0;
    }
    if (target.kind == db::TargetKind::embedded) {
        context.out << "database:  embedded (no database configured)\n";
    } else {
        context.out << "database:  external, from " << target.source << "\n";
        if (!target.conninfo.empty()) {
            context.out << "conninfo:  " << mask_password(target.conninfo) << "\n";
        }
    }
    context.out << "embedded:  " << state_name(embedded.state);
    if (embedded.pid) {
        context.out << " (pid " << *embedded.pid << ", PostgreSQL " << embedded.server_version
                    << ")";
    }
    context.out << "\nhome:      " << cluster.home() << "\n";
    if (embedded.state != db::ClusterState::not_initialized) {
        context.out << "socket:    " << cluster.socket_dir() << "\n";
    }
    return 0;
}

int DbCommand::start(Context& context) {
    const auto env = config::process_env();
    auto cluster = db::EmbeddedCluster::from_env(env);
    const auto target = db::resolve_target(context.global.db, context.config.database, env);
    cluster.start();
    if (context.global.json) {
        context.out << nlohmann::ordered_json{{"state", "running"},
                                              {"home", cluster.home()},
                                              {"conninfo", cluster.conninfo()}}
                           .dump(2)
                    << "\n";
    } else if (!context.global.quiet) {
        context.out << "embedded database running in " << cluster.home() << "\n";
    }
    if (target.kind != db::TargetKind::embedded) {
        log::warn("commands use the database from " + target.source +
                  ", not the embedded one, while that is set");
    }
    return 0;
}

int DbCommand::stop(Context& context) {
    const auto env = config::process_env();
    auto cluster = db::EmbeddedCluster::from_env(env);
    const bool was_running = cluster.stop();
    if (context.global.json) {
        context.out
            << nlohmann::ordered_json{{"state", "stopped"}, {"was_running", was_running}}.dump(2)
            << "\n";
    } else if (!context.global.quiet) {
        context.out << (was_running ? "embedded database stopped\n"
                                    : "embedded database was not running\n");
    }
    return 0;
}

int DbCommand::path(Context& context) {
    const auto env = config::process_env();
    context.out << db::EmbeddedCluster::default_home(env) << "\n";
    return 0;
}

} // namespace analytics::app
