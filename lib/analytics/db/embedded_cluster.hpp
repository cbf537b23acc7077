#pragma once

// The embedded default database: a private PostgreSQL cluster under
// $ANALYTICS_HOME, created with initdb on first use, started with pg_ctl on
// demand, reachable only through a Unix socket inside that directory.
// When we run as root, the server runs as an unprivileged account
// ('postgres', or $ANALYTICS_PG_USER), as pg_virtualenv does.

#include <analytics/config/env.hpp>
#include <analytics/util/process.hpp>

#include <optional>
#include <string>

namespace analytics::db {

enum class ClusterState { not_initialized, stopped, running };

struct ClusterStatus {
    ClusterState state = ClusterState::not_initialized;
    std::optional<long> pid;
    std::string server_version; // e.g. "15", from PG_VERSION
};

class EmbeddedCluster {
  public:
    // $ANALYTICS_HOME, else ~/.local/share/analytics; as root, whose home the
    // unprivileged server account cannot enter, /var/lib/analytics-root (never
    // /var/lib/analytics, the home of the package's system user 'analytics').
    static std::string default_home(const config::EnvLookup& env);

    // The cluster at default_home(env).
    static EmbeddedCluster from_env(const config::EnvLookup& env);

    explicit EmbeddedCluster(std::string home,
                             const config::EnvLookup& env = config::process_env());

    const std::string& home() const noexcept { return m_home; }

    std::string data_dir() const { return m_home + "/pg/data"; }

    std::string socket_dir() const { return m_home + "/pg/run"; }

    std::string log_file() const { return m_home + "/pg/server.log"; }

    ClusterStatus status() const;

    // Creates the cluster if needed and starts it if it is not running; then
    // makes sure the 'analytics' database exists. Safe when several processes
    // call it at once (a lock file serialises them). Throws DbUnavailable.
    void start();

    // Stops the server if it runs (fast shutdown). Returns false if it was not running.
    bool stop();

    // Keyword conninfo for the cluster's 'analytics' database (no application name).
    std::string conninfo() const;

    // The directory holding initdb, pg_ctl and postgres.
    std::string bin_dir() const;

  private:
    void initialize();
    void create_database();
    void check_reachable_by_server() const;
    ProcessResult pg_ctl(const std::vector<std::string>& arguments) const;

    std::string m_home;
    config::EnvLookup m_env;
    std::string m_bin_dir;
    std::optional<RunAs> m_run_as; // set when we are root
};

} // namespace analytics::db
