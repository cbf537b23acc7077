#pragma once

// A database for the C++ database tests, as osm2pgsql's tempdb: one private
// embedded PostgreSQL cluster per test executable, in a temporary
// ANALYTICS_HOME, started on first use and removed when the tests end; and
// for each test case a fresh schema, migrated, and dropped after it.
//
//     TEST_CASE_FIXTURE(tempdb::Schema, "...") { ... session() ... rows("SELECT ...") }

#include <analytics/config/config.hpp>
#include <analytics/db/session.hpp>

#include <pqxx/pqxx>

#include <optional>
#include <string>
#include <vector>

namespace tempdb {

// Stops and removes the cluster, if one was started (main() calls it last).
void remove_cluster() noexcept;

class Schema {
  public:
    // Creates the schema test_<n> and migrates it. Throws when the cluster
    // cannot be started (no PostgreSQL installed).
    Schema();
    ~Schema();
    Schema(const Schema&) = delete;
    Schema& operator=(const Schema&) = delete;

    analytics::db::Session& session() noexcept { return *m_session; }

    const analytics::config::Config& config() const noexcept { return m_config; }

    pqxx::connection& connection() noexcept;

    // The rows of a query, each as its columns joined by '|', NULL as "NULL".
    std::vector<std::string> rows(const std::string& query);

    // Runs statements outside any transaction.
    void exec(const std::string& statements);

  private:
    analytics::config::Config m_config;
    std::optional<analytics::db::Session> m_session;
};

} // namespace tempdb
