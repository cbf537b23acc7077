#include "env_stub.hpp"

#include <doctest/doctest.h>

#include <ostream>
#include <stdexcept>

using analytics::config::expand_env;

TEST_SUITE("environment expansion") {
    TEST_CASE("variables, defaults, several per string") {
        const auto env = fake_env({{"A", "1"}, {"B", "two"}});
        CHECK(expand_env("plain", env) == "plain");
        CHECK(expand_env("${A}", env) == "1");
        CHECK(expand_env("x${A}y${B}z", env) == "x1ytwoz");
        CHECK(expand_env("${C:def}", env) == "def");
        CHECK(expand_env("${C:}", env) == "");
        CHECK(expand_env("${C:a:b}", env) == "a:b");
        CHECK(expand_env("${A:unused}", env) == "1");
        CHECK(expand_env("cost $5", env) == "cost $5");
    }

    TEST_CASE("errors") {
        const auto env = fake_env();
        CHECK_THROWS_AS(expand_env("${MISSING}", env), std::invalid_argument);
        CHECK_THROWS_AS(expand_env("${OPEN", env), std::invalid_argument);
        CHECK_THROWS_AS(expand_env("${}", env), std::invalid_argument);
    }
}
