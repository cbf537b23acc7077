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

    TEST_CASE("a Pushgateway URL's password is masked, the rest kept") {
        CHECK(mask_url_password("https://pusher:s3cret@gw.example:9091/metrics/job/a") ==
              "https://pusher:********@gw.example:9091/metrics/job/a");
        CHECK(mask_url_password("http://gw.example:9091/metrics/job/a") ==
              "http://gw.example:9091/metrics/job/a");
    }

    TEST_CASE("a password libpq reads under an unusual spelling is masked too") {
        // libpq decodes the key: this is the password, which a pattern misses.
        const std::string uri = "postgresql://u@db.example.org/analytics?pass%77ord=PW1";
        CHECK(has_password(uri));
        const std::string masked = mask_password(uri);
        CHECK(masked.find("PW1") == std::string::npos);
        CHECK(masked.find("password='********'") != std::string::npos);
        CHECK(masked.find("host='db.example.org'") != std::string::npos);
        CHECK(mask_password("postgresql://u@h/db?password=%50W2").find("PW2") == std::string::npos);
    }

    TEST_CASE("URIs are told from keyword strings") {
        CHECK(is_conninfo_uri("postgresql://host/db"));
        CHECK(is_conninfo_uri("postgres://host/db"));
        CHECK_FALSE(is_conninfo_uri("host=postgresql://x"));
    }
}
