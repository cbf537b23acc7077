// The running hash of the lines an input was loaded to.

#include <analytics/util/hash.hpp>

#include <doctest/doctest.h>

using namespace analytics;

TEST_CASE("the running hash depends on every line and their order") {
    const auto h1 = combine_hash(combine_hash(0, hash64("a")), hash64("b"));
    const auto h2 = combine_hash(combine_hash(0, hash64("b")), hash64("a"));
    CHECK(h1 != h2);
    CHECK(h1 == combine_hash(combine_hash(0, hash64("a")), hash64("b")));
}
