#include <analytics/util/conninfo_mask.hpp>

#include <doctest/doctest.h>

using namespace analytics;

TEST_SUITE("connection string passwords") {
    TEST_CASE("passwords are masked in every syntax") {
        CHECK(mask_password("host=x password=secret dbname=y") ==
              "host=x password=******** dbname=y");
        CHECK(mask_password("host=x password = 'se cr\\'et' dbname=y") ==
              "host=x password = ******** dbname=y");
        CHECK(mask_password("postgresql://user:secret@host:5432/db") ==
              "postgresql://user:********@host:5432/db");
        CHECK(mask_password("postgresql://host/db?user=u&password=secret&sslmode=require") ==
              "postgresql://host/db?user=u&password=********&sslmode=require");
        CHECK(mask_password("postgresql://user@host/db") == "postgresql://user@host/db");
        CHECK(has_password("PASSWORD=x"));
        CHECK_FALSE(has_password("host=x passfile=/p"));
    }

    TEST_CASE("URIs are told from keyword strings") {
        CHECK(is_conninfo_uri("postgresql://host/db"));
        CHECK(is_conninfo_uri("postgres://host/db"));
        CHECK_FALSE(is_conninfo_uri("host=postgresql://x"));
    }
}
