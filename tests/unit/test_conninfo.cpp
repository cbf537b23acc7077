#include "env_stub.hpp"

#include <analytics/db/conninfo.hpp>
#include <analytics/util/errors.hpp>

#include <doctest/doctest.h>

#include <ostream>

using namespace analytics::db;
using analytics::config::Database;

TEST_SUITE("connection resolution") {
    TEST_CASE("first found wins: --db, ANALYTICS_DB, DATABASE_URL, config, libpq env") {
        Database configured;
        configured.host = "cfg-host";
        const auto all = fake_env({{"ANALYTICS_DB", "service=a"},
                                   {"DATABASE_URL", "postgresql://b/x"},
                                   {"PGHOST", "pghost"}});
        CHECK(resolve_target("dbname=cli", configured, all).source == "--db");
        CHECK(resolve_target("dbname=cli", configured, all).conninfo == "dbname=cli");
        CHECK(resolve_target("", configured, all).conninfo == "service=a");
        CHECK(resolve_target("", configured,
                             fake_env({{"DATABASE_URL", "postgresql://b/x"}, {"PGHOST", "h"}}))
                  .source == "DATABASE_URL");
        const auto from_config = resolve_target("", configured, fake_env({{"PGHOST", "h"}}));
        CHECK(from_config.source == "configuration file (database.*)");
        CHECK(from_config.conninfo == "host='cfg-host'");
        const auto libpq = resolve_target("", Database{}, fake_env({{"PGSERVICE", "prod"}}));
        CHECK(libpq.kind == TargetKind::external);
        CHECK(libpq.conninfo.empty());
        CHECK(libpq.source == "libpq environment (PGSERVICE)");
    }

    TEST_CASE("nothing configured means the embedded default") {
        const auto t = resolve_target("", Database{}, fake_env({{"PGPASSWORD", "x"}}));
        CHECK(t.kind == TargetKind::embedded);
        CHECK(t.source == "embedded default");
    }

    TEST_CASE("config url wins over config parts; parts are quoted") {
        Database configured;
        configured.url = "postgresql:///analytics";
        configured.host = "ignored";
        CHECK(resolve_target("", configured, fake_env()).conninfo == "postgresql:///analytics");
        Database parts;
        parts.host = "h";
        parts.port = "5433";
        parts.name = "my db";
        parts.username = "o'brien";
        parts.password = "p w";
        CHECK(resolve_target("", parts, fake_env()).conninfo ==
              "host='h' port='5433' dbname='my db' user='o\\'brien' password='p w'");
    }

    TEST_CASE("database.password completes a database.url without one") {
        Database configured;
        configured.url = "postgresql://u@db.example.org/analytics";
        configured.password = "p&w d";
        const auto target = resolve_target("", configured, fake_env());
        CHECK(target.conninfo == "postgresql://u@db.example.org/analytics?password=p%26w%20d");
        CHECK(target.source == "configuration file (database.url, database.password)");
        configured.url = "postgresql://u@db.example.org/analytics?sslmode=require";
        CHECK(resolve_target("", configured, fake_env()).conninfo ==
              "postgresql://u@db.example.org/analytics?sslmode=require&password=p%26w%20d");
        configured.url = "host=db.example.org dbname=analytics";
        CHECK(resolve_target("", configured, fake_env()).conninfo ==
              "host=db.example.org dbname=analytics password='p&w d'");
        // A url that has its own password keeps it.
        configured.url = "postgresql://u:own@db.example.org/analytics";
        CHECK(resolve_target("", configured, fake_env()).conninfo ==
              "postgresql://u:own@db.example.org/analytics");
    }

    TEST_CASE("a password on the command line is refused") {
        CHECK_THROWS_AS(resolve_target("host=x password=secret", Database{}, fake_env()),
                        analytics::UsageError);
        CHECK_THROWS_AS(resolve_target("postgresql://u:secret@x/db", Database{}, fake_env()),
                        analytics::UsageError);
        CHECK_THROWS_AS(resolve_target("postgresql://x/db?password=secret", Database{}, fake_env()),
                        analytics::UsageError);
        CHECK_NOTHROW(resolve_target("postgresql://u@x/db", Database{}, fake_env()));
        // From the environment it is accepted (not visible in the process list).
        CHECK_NOTHROW(
            resolve_target("", Database{}, fake_env({{"DATABASE_URL", "postgresql://u:s@x/db"}})));
    }

    TEST_CASE("fallback_application_name in the syntax of the string") {
        CHECK(with_application_name("", "analytics-migrate") ==
              "fallback_application_name='analytics-migrate'");
        CHECK(with_application_name("host=x dbname=y", "analytics-migrate") ==
              "host=x dbname=y fallback_application_name='analytics-migrate'");
        CHECK(with_application_name("postgresql://x/y", "analytics-ingest") ==
              "postgresql://x/y?fallback_application_name=analytics-ingest");
        CHECK(with_application_name("postgres://x/y?sslmode=require", "analytics-size-report") ==
              "postgres://x/y?sslmode=require&fallback_application_name=analytics-size-report");
    }
}
