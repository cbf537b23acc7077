#pragma once

// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed hash, a pseudorandom
// function of its 128-bit key. Without the key, its output says nothing of
// the input; visitor keys (enrich/visitor_key.hpp) use it with a daily salt.

#include <array>
#include <cstdint>
#include <string_view>

namespace analytics {

using SipKey = std::array<unsigned char, 16>;

std::uint64_t siphash24(const SipKey& key, std::string_view data) noexcept;

} // namespace analytics
