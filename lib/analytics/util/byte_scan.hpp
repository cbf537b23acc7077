#pragma once

// Finding the bytes an escaper must look at, eight at a time: output text is
// mostly plain, so the escapers (JSON strings, COPY text) jump from one
// candidate byte to the next instead of testing every byte.

#include <cstdint>
#include <cstring>
#include <string_view>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "find_control_or reads the first byte from the low bits of a word");

namespace analytics {

// The index of the first byte of s at or after from that is a control
// character (< 0x20) or equal to a or b; s.size() when there is none.
inline std::size_t find_control_or(std::string_view s, std::size_t from, char a, char b) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const std::uint64_t as = ones * static_cast<unsigned char>(a);
    const std::uint64_t bs = ones * static_cast<unsigned char>(b);
    std::size_t i = from;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t v;
        std::memcpy(&v, s.data() + i, 8);
        // The lowest flagged byte of each term is exact (a borrow only runs
        // upwards from a true match), so the lowest flag overall is the first
        // candidate.
        const std::uint64_t xa = v ^ as;
        const std::uint64_t xb = v ^ bs;
        const std::uint64_t flags =
            ((v - ones * 0x20) & ~v) | ((xa - ones) & ~xa) | ((xb - ones) & ~xb);
        if ((flags & highs) != 0) {
            return i + static_cast<std::size_t>(__builtin_ctzll(flags & highs)) / 8;
        }
    }
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (static_cast<unsigned char>(c) < 0x20 || c == a || c == b) {
            return i;
        }
    }
    return s.size();
}

} // namespace analytics
