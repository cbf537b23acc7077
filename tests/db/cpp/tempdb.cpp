#include "tempdb.hpp"

#include <analytics/config/env.hpp>
#include <analytics/db/embedded_cluster.hpp>
#include <analytics/db/migrations.hpp>
#include <analytics/db/session_impl.hpp>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sys/stat.h>
#include <system_error>

namespace tempdb {

namespace {

using namespace analytics;

struct Cluster {
    std::string home;
    db::EmbeddedCluster server;
};

std::unique_ptr<Cluster>& the_cluster() {
    static std::unique_ptr<Cluster> cluster;
    return cluster;
}

// The cluster, created and started on first use.
Cluster& cluster() {
    auto& cluster = the_cluster();
    if (!cluster) {
        char home[] = "/tmp/analytics-db-tests.XXXXXX";
        if (::mkdtemp(home) == nullptr) {
            throw std::system_error(errno, std::generic_category(), "mkdtemp");
        }
        // As root, the server runs as another account, which must enter it.
        ::chmod(home, 0755);
        cluster.reset(new Cluster{home, db::EmbeddedCluster(home)});
        cluster->server.start();
    }
    return *cluster;
}

int next_schema_number() {
    static int number = 0;
    return ++number;
}

} // namespace

void remove_cluster() noexcept {
    auto& cluster = the_cluster();
    if (!cluster) {
        return;
    }
    try {
        cluster->server.stop();
    } catch (const std::exception& e) {
        std::cerr << "tempdb: cannot stop the cluster in " << cluster->home << ": " << e.what()
                  << "\n";
        return; // left for inspection
    }
    std::error_code ignored;
    std::filesystem::remove_all(cluster->home, ignored);
    cluster.reset();
}

Schema::Schema() : m_config(config::defaults()) {
    m_config.database.schema = "test_" + std::to_string(next_schema_number());
    db::OpenOptions options;
    options.config = &m_config;
    options.cli_db = cluster().server.conninfo();
    options.command = "db-tests";
    options.policy = db::SchemaPolicy::none;
    m_session.emplace(db::open_session(options));
    db::migrate(*m_session, {});
}

Schema::~Schema() {
    try {
        exec("DROP SCHEMA " + connection().quote_name(m_config.database.schema) + " CASCADE");
    } catch (const std::exception& e) {
        std::cerr << "tempdb: cannot drop schema " << m_config.database.schema << ": " << e.what()
                  << "\n";
    }
}

pqxx::connection& Schema::connection() noexcept {
    return m_session->impl().connection;
}

std::vector<std::string> Schema::rows(const std::string& query) {
    pqxx::nontransaction tx(connection());
    std::vector<std::string> out;
    for (const auto& row : tx.exec(query)) {
        std::string line;
        const char* separator = "";
        for (const auto& field : row) {
            line += separator;
            line += field.is_null() ? "NULL" : field.c_str();
            separator = "|";
        }
        out.push_back(std::move(line));
    }
    return out;
}

void Schema::exec(const std::string& statements) {
    pqxx::nontransaction tx(connection());
    tx.exec(statements);
}

} // namespace tempdb
