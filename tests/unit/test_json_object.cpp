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

    // What move_to_end stands for: erase `from`, then set `to` to its value.
    std::string erase_then_set(JsonObject o, const std::string& from, const std::string& to) {
        const std::string value = *o.find_string(from);
        o.erase(from);
        o.set_string(to, value);
        std::string keys;
        for (const auto& entry : o) {
            keys +=
                entry.key + "=" + (entry.kind == JsonObject::Kind::string ? entry.text : "?") + " ";
        }
        return keys;
    }

    std::string moved(JsonObject o, const std::string& from, const std::string& to) {
        o.move_to_end(from, to);
        std::string keys;
        for (const auto& entry : o) {
            keys +=
                entry.key + "=" + (entry.kind == JsonObject::Kind::string ? entry.text : "?") + " ";
        }
        // The moved entry is found under its new name, and only there.
        CHECK(o.find(to) != nullptr);
        if (from != to) {
            CHECK(o.find(from) == nullptr);
        }
        return keys;
    }

    TEST_CASE("move_to_end is erasing and setting again, without the copy") {
        for (const int size : {4, 40}) { // the linear scan, and the hash index
            CAPTURE(size);
            JsonObject o;
            for (int i = 0; i < size; ++i) {
                o.set_string("k" + std::to_string(i), "v" + std::to_string(i));
            }
            o.find("k0"); // builds the index of a large object before the move
            CHECK(moved(o, "k1", "layers") == erase_then_set(o, "k1", "layers"));
            CHECK(moved(o, "k1", "k1") == erase_then_set(o, "k1", "k1"));
            CHECK(moved(o, "k3", "k3") == erase_then_set(o, "k3", "k3"));
            // `to` already there: it takes the value in its own place.
            CHECK(moved(o, "k3", "k0") == erase_then_set(o, "k3", "k0"));
            o.set_bool("crs", true);
            CHECK(moved(o, "k2", "crs") == erase_then_set(o, "k2", "crs"));
        }
    }
}
