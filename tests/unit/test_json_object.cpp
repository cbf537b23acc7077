#include <analytics/record/json_object.hpp>

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

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

    TEST_CASE("keys that differ in one byte, at any position of any size, stay apart") {
        // The key comparison reads words from both ends of short keys.
        for (std::size_t n = 1; n <= 20; ++n) {
            JsonObject o;
            const std::string base(n, 'k');
            o.set_string(base, "base");
            for (std::size_t at = 0; at < n; ++at) {
                std::string other = base;
                other[at] = 'x';
                CAPTURE(other);
                CHECK(o.find(other) == nullptr);
                o.set_string(other, std::to_string(at));
            }
            REQUIRE(o.size() == n + 1);
            CHECK(*o.find_string(base) == "base");
            for (std::size_t at = 0; at < n; ++at) {
                std::string other = base;
                other[at] = 'x';
                CAPTURE(other);
                CHECK(*o.find_string(other) == std::to_string(at));
            }
            CHECK(o.find(std::string(n + 1, 'k')) == nullptr);
            CHECK(o.find(std::string(n - 1, 'k')) == nullptr);
        }
    }

    TEST_CASE("a moved-from object is empty and usable") {
        JsonObject o;
        for (int i = 0; i < 40; ++i) { // past the size that builds a hash index
            o.set_string("k" + std::to_string(i), "v");
        }
        CHECK(o.find("k39") != nullptr);
        JsonObject moved(std::move(o));
        CHECK(o.empty()); // NOLINT(bugprone-use-after-move): the moved-from state is the point
        CHECK(o.find("k1") == nullptr);
        o.set_string("k1", "again");
        CHECK(*o.find_string("k1") == "again");
        CHECK(moved.size() == 40);
        CHECK(*moved.find_string("k39") == "v");
        JsonObject assigned;
        assigned.set_string("z", "0");
        assigned = std::move(moved);
        CHECK(moved.empty()); // NOLINT(bugprone-use-after-move)
        CHECK(moved.begin() == moved.end());
        CHECK(assigned.size() == 40);
        CHECK(assigned.find("z") == nullptr);
        CHECK(*assigned.find_string("k0") == "v");
    }

    TEST_CASE("copies hold their own entries, in order, and spare ones are not copied") {
        JsonObject o;
        o.set_string("a", "1");
        o.set_bool("b", true);
        o.set_array("c").push_back("x");
        o.spare().key = "spare";
        JsonObject copy(o);
        o.set_string("a", "changed");
        o.erase("b");
        REQUIRE(copy.size() == 3);
        CHECK(*copy.find_string("a") == "1");
        CHECK(copy.find("b")->boolean);
        CHECK(copy.find("c")->array == std::vector<std::string>{"x"});
        CHECK(copy.find("spare") == nullptr);
        CHECK(copy.begin()->key == "a");
        CHECK(copy.begin()[2].key == "c");
        JsonObject assigned;
        assigned.set_string("z", "0");
        assigned = copy;
        copy.clear();
        CHECK(assigned.size() == 3);
        CHECK(assigned.find("z") == nullptr);
        CHECK(*assigned.find_string("a") == "1");
        assigned = assigned; // NOLINT: self-assignment keeps the entries
        CHECK(assigned.size() == 3);
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

    TEST_CASE("every change keeps lookups exact, against a plain list") {
        // Keys of every size from 0 to 12 over two letters (and a NUL): many
        // share a size and all but one byte, in the first seven or after.
        std::mt19937 random(5);
        const auto random_key = [&random] {
            std::string key(random() % 13, 'a');
            for (char& c : key) {
                c = "ab\0"[random() % 3];
            }
            return key;
        };
        for (int round = 0; round < 300; ++round) {
            JsonObject o;
            std::vector<std::pair<std::string, std::string>> model;
            const auto model_at = [&model](const std::string& key) {
                std::size_t i = 0;
                while (i < model.size() && model[i].first != key) {
                    ++i;
                }
                return i;
            };
            for (int step = 0; step < 60; ++step) {
                const std::string key = random_key();
                const std::string value = std::to_string(step);
                switch (random() % 5) {
                case 0:
                case 1:
                    o.set_string(key, value);
                    if (const std::size_t i = model_at(key); i < model.size()) {
                        model[i].second = value;
                    } else {
                        model.emplace_back(key, value);
                    }
                    break;
                case 2:
                    o.erase(key);
                    if (const std::size_t i = model_at(key); i < model.size()) {
                        model.erase(model.begin() + static_cast<std::ptrdiff_t>(i));
                    }
                    break;
                case 3:
                    if (const std::size_t i = model_at(key); i < model.size()) {
                        const std::string to = random_key();
                        o.move_to_end(key, to);
                        const std::string moved_value = model[i].second;
                        model.erase(model.begin() + static_cast<std::ptrdiff_t>(i));
                        if (const std::size_t j = model_at(to); j < model.size()) {
                            model[j].second = moved_value;
                        } else {
                            model.emplace_back(to, moved_value);
                        }
                    }
                    break;
                default:
                    if (model_at(key) == model.size()) {
                        JsonObject::Entry& entry = o.spare();
                        entry.key = key;
                        entry.text = value;
                        o.append_spare(JsonObject::Kind::string);
                        model.emplace_back(key, value);
                    } else {
                        o.spare().key = key; // left spare: not part of the object
                    }
                    break;
                }
                REQUIRE(o.size() == model.size());
                for (int probe = 0; probe < 8; ++probe) {
                    const std::string k = random_key();
                    const std::size_t i = model_at(k);
                    const std::string* found = o.find_string(k);
                    CAPTURE(k);
                    REQUIRE((found != nullptr) == (i < model.size()));
                    if (found != nullptr) {
                        REQUIRE(*found == model[i].second);
                    }
                }
            }
            std::size_t i = 0;
            for (const auto& entry : o) {
                REQUIRE(entry.key == model[i].first);
                REQUIRE(entry.text == model[i].second);
                ++i;
            }
        }
    }
}
