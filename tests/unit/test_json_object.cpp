#include <analytics/record/json_object.hpp>

#include <doctest/doctest.h>

#include <string>

using analytics::record::JsonObject;

TEST_SUITE("json_object") {
    TEST_CASE("large objects: lookup, first value kept, erase and truncate keep order") {
        JsonObject o;
        for (int i = 0; i < 1000; ++i) {
            o.set_string("k" + std::to_string(i), "v" + std::to_string(i));
        }
        o.set_string("k10", "again"); // replaces, keeps the position
        REQUIRE(o.size() == 1000);
        CHECK(*o.find_string("k999") == "v999");
        CHECK(*o.find_string("k10") == "again");
        CHECK(o.find("k1000") == nullptr);
        CHECK(o.erase("k0"));
        CHECK_FALSE(o.erase("k0"));
        CHECK(o.begin()->key == "k1");
        CHECK(*o.find_string("k999") == "v999");
        o.truncate(5);
        CHECK(o.size() == 5);
        CHECK(o.find("k6") == nullptr);
        CHECK(*o.find_string("k5") == "v5");
        o.set_string("k6", "new");
        CHECK(o.size() == 6);
        CHECK(*o.find_string("k6") == "new");
        o.clear();
        CHECK(o.find("k1") == nullptr);
        for (int i = 0; i < 40; ++i) {
            o.set_bool("b" + std::to_string(i), true);
        }
        CHECK(o.size() == 40);
        CHECK(o.find("k1") == nullptr);
        CHECK(o.find("b39")->boolean);
    }
}
