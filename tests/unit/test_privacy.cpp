#include <analytics/util/privacy.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace analytics;

TEST_SUITE("privacy") {
    TEST_CASE("every listed name is a secret, and passes the pre-check") {
        for (const std::string_view name : secret_names) {
            CAPTURE(name);
            CHECK(is_secret_name(name));
            CHECK(may_name_a_secret(name));
        }
    }

    TEST_CASE("case and '-' / '_' do not matter") {
        CHECK(is_secret_name("API-Key"));
        CHECK(is_secret_name("Access-Token"));
        CHECK(is_secret_name("OUTPUT_PATH"));
        CHECK(is_secret_name("pwd"));
    }

    TEST_CASE("other names are not secrets") {
        CHECK_FALSE(is_secret_name(""));
        CHECK_FALSE(is_secret_name("api_key_id")); // an id, not the key
        CHECK_FALSE(is_secret_name("q"));
        CHECK_FALSE(is_secret_name("service"));
        CHECK_FALSE(is_secret_name("tokens"));
        CHECK_FALSE(may_name_a_secret("service=wms&request=getmap&layers=roads"));
    }
}
