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

    TEST_CASE("the pre-check finds a fragment anywhere, and nothing past the end") {
        CHECK(may_name_a_secret("key=1"));
        CHECK(may_name_a_secret("a=1&b=2&mypwd"));
        CHECK(may_name_a_secret("x=%2fsig"));
        CHECK_FALSE(may_name_a_secret("a=1&ke"));
        CHECK_FALSE(may_name_a_secret("s"));
        CHECK_FALSE(may_name_a_secret(""));
        CHECK_FALSE(may_name_a_secret("pas=1&tok=2&sessio=3&outpu=4&secre=5&aut=6&si"));
    }
}

TEST_SUITE("privacy") {
    TEST_CASE("control characters and blanks do not hide a name") {
        CHECK(is_secret_name(std::string("api_key\0", 8)));
        CHECK(is_secret_name(" token"));
        CHECK(is_secret_name("X-Api-Key"));
        CHECK(is_secret_name("signature"));
        CHECK_FALSE(is_secret_name(std::string(100, 'a')));
    }

    TEST_CASE("configured names join the list until replaced") {
        CHECK_FALSE(is_secret_name("geo_pass"));
        set_configured_secret_names({"Geo-Pass"});
        CHECK(is_secret_name("geo_pass"));
        CHECK(is_secret_name("GEO-PASS"));
        CHECK(may_name_a_secret("x=1&geo-pass=2"));
        set_configured_secret_names({});
        CHECK_FALSE(is_secret_name("geo_pass"));
    }
}
