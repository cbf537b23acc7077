#include "env_stub.hpp"

#include <analytics/db/embedded_cluster.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

using analytics::db::EmbeddedCluster;

TEST_SUITE("embedded database home") {
    TEST_CASE("ANALYTICS_HOME wins for everyone") {
        CHECK(EmbeddedCluster::default_home(
                  fake_env({{"ANALYTICS_HOME", "/srv/a"}, {"HOME", "/h"}})) == "/srv/a");
    }

    TEST_CASE("root and the package's service user never share a home") {
        // The service user 'analytics' has the home /var/lib/analytics.
        const auto service = fake_env({{"HOME", "/var/lib/analytics"}});
        const auto root = fake_env({{"HOME", "/root"}});
        if (::geteuid() == 0) {
            CHECK(EmbeddedCluster::default_home(root) == "/var/lib/analytics-root");
            CHECK(EmbeddedCluster::default_home(service) == "/var/lib/analytics-root");
        } else {
            CHECK(EmbeddedCluster::default_home(service) ==
                  "/var/lib/analytics/.local/share/analytics");
            CHECK(EmbeddedCluster::default_home(
                      fake_env({{"HOME", "/var/lib/analytics"}, {"XDG_DATA_HOME", "/d"}})) ==
                  "/d/analytics");
        }
    }
}
