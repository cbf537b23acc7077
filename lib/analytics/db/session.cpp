#include <analytics/db/embedded_cluster.hpp>
#include <analytics/db/migrations.hpp>
#include <analytics/db/session.hpp>
#include <analytics/db/session_impl.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/log.hpp>

namespace analytics::db {

Session::Session(std::unique_ptr<Impl> impl, Target target, std::string schema,
                 std::string timezone)
    : m_impl(std::move(impl)), m_target(std::move(target)), m_schema(std::move(schema)),
      m_timezone(std::move(timezone)) {}

Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

std::string Session::describe() const {
    if (m_target.kind == TargetKind::embedded) {
        return "embedded database";
    }
    return m_target.conninfo.empty()
               ? m_target.source
               : mask_password(m_target.conninfo) + " (" + m_target.source + ")";
}

std::string qualified(const Session& session, const std::string& name) {
    auto& conn = const_cast<Session&>(session).impl().connection;
    return conn.quote_name(session.schema()) + "." + conn.quote_name(name);
}

Endpoint reach_target(const OpenOptions& options) {
    Endpoint endpoint;
    endpoint.target = resolve_target(options.cli_db, options.config->database, options.env);
    endpoint.conninfo = endpoint.target.conninfo;
    if (endpoint.target.kind == TargetKind::embedded) {
        auto cluster = EmbeddedCluster::from_env(options.env);
        cluster.start();
        endpoint.conninfo = cluster.conninfo();
        endpoint.bin_dir = cluster.bin_dir();
    }
    return endpoint;
}

namespace {

// A connection to the embedded database when its server is up and the
// database is there, as they are but on a first run; null otherwise, and the
// cluster is then started (and created on first use). Connecting first spares
// every command pg_ctl status (a process) and an admin connection.
std::unique_ptr<Session::Impl> connect_if_up(const std::string& conninfo) {
    try {
        return std::make_unique<Session::Impl>(conninfo);
    } catch (const pqxx::broken_connection&) {
        return nullptr;
    }
}

} // namespace

Session open_session(const OpenOptions& options) {
    const auto& config = *options.config;
    const std::string application = "analytics-" + options.command;
    Endpoint endpoint;
    endpoint.target = resolve_target(options.cli_db, config.database, options.env);
    std::unique_ptr<Session::Impl> impl;
    if (endpoint.target.kind == TargetKind::embedded) {
        endpoint.conninfo = EmbeddedCluster::from_env(options.env).conninfo();
        log::debug("connecting to the embedded database, if it is up: " +
                   mask_password(endpoint.conninfo));
        impl = connect_if_up(with_application_name(endpoint.conninfo, application));
    }
    if (!impl) {
        endpoint = reach_target(options);
    }
    const Target& target = endpoint.target;
    const std::string conninfo = with_application_name(endpoint.conninfo, application);

    try {
        if (!impl) {
            log::debug("connecting to " + mask_password(conninfo) + " (" + target.source + ")");
            impl = std::make_unique<Session::Impl>(conninfo);
        }
    } catch (const pqxx::broken_connection& e) {
        std::string reason = e.what();
        while (!reason.empty() && reason.back() == '\n') {
            reason.pop_back();
        }
        const std::string message =
            "cannot connect to the database (" +
            (target.conninfo.empty() ? target.source
                                     : mask_password(target.conninfo) + ", from " + target.source) +
            "): " + reason;
        // Refused credentials: trying again later cannot help (77, not 69).
        if (reason.find("password authentication failed") != std::string::npos ||
            reason.find("no password supplied") != std::string::npos ||
            reason.find("no pg_hba.conf entry") != std::string::npos) {
            throw PermissionDenied(message);
        }
        throw DbUnavailable(message);
    }
    {
        pqxx::nontransaction tx{impl->connection};
        tx.exec_params("SELECT set_config('TimeZone', $1, false)", config.timezone);
        tx.exec_params("SELECT set_config('search_path', quote_ident($1), false)",
                       config.database.schema);
    }
    Session session{std::move(impl), target, config.database.schema, config.timezone};

    if (options.policy == SchemaPolicy::require_current) {
        auto state = schema_state(session);
        const bool out_of_date = state.current < state.latest || !state.missing.empty();
        if (out_of_date && target.kind == TargetKind::embedded) {
            log::info("migrating the embedded database");
            migrate(session, {false, nullptr, config.database.buffer_unlogged});
            state = schema_state(session);
        }
        check_schema(session, state);
    }
    return session;
}

} // namespace analytics::db
