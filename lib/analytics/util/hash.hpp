#pragma once

// Fast non-cryptographic hashes: record ids, input fingerprints.

#include <cstdint>
#include <string_view>

namespace analytics {

// MurmurHash64A (public domain, Austin Appleby): 8 bytes a step.
std::uint64_t hash64(std::string_view data, std::uint64_t seed = 0) noexcept;

// A running hash over a sequence of hashes (the lines of an input).
std::uint64_t combine_hash(std::uint64_t chain, std::uint64_t next) noexcept;

} // namespace analytics
