#pragma once

// Finding the next byte of interest sixteen (SSE2) or eight at a time: text
// is mostly plain, so escapers (JSON strings, COPY text) and scanners (quoted
// CLF fields, percent-encoded query components) jump from one candidate byte
// to the next instead of testing every byte.

#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "byte_scan reads the first byte from the low bits of a word");

namespace analytics {

namespace byte_scan_detail {

constexpr std::uint64_t ones = 0x0101010101010101ULL;
constexpr std::uint64_t highs = 0x8080808080808080ULL;

// The high bit of each byte of v equal to the byte c is set (and possibly
// of bytes above it: only the lowest flag is exact, as a borrow runs upwards
// from a true match).
inline std::uint64_t equal_flags(std::uint64_t v, std::uint64_t c_in_every_byte) noexcept {
    const std::uint64_t x = v ^ c_in_every_byte;
    return (x - ones) & ~x & highs;
}

template <bool with_controls>
inline std::size_t find(std::string_view s, std::size_t from, char a, char b) noexcept {
    std::size_t i = from;
    const std::size_t n = s.size();
#if defined(__SSE2__) // every x86-64: half the instructions per byte of the words below
    if (i + 16 <= n) {
        const __m128i a16 = _mm_set1_epi8(a);
        const __m128i b16 = _mm_set1_epi8(b);
        const __m128i control_max = _mm_set1_epi8(0x1f);
        const auto hits_at = [&](std::size_t at) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at));
            __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(v, a16), _mm_cmpeq_epi8(v, b16));
            if constexpr (with_controls) {
                // Unsigned v <= 0x1f: max(v, 0x1f) is 0x1f (a signed compare
                // would take the bytes >= 0x80 for controls).
                hits =
                    _mm_or_si128(hits, _mm_cmpeq_epi8(_mm_max_epu8(v, control_max), control_max));
            }
            return static_cast<unsigned>(_mm_movemask_epi8(hits));
        };
        for (; i + 16 <= n; i += 16) {
            if (const unsigned mask = hits_at(i); mask != 0) {
                return i + static_cast<std::size_t>(__builtin_ctz(mask));
            }
        }
        if (i == n) {
            return n;
        }
        // The last bytes in one load ending at the end: its lanes before i
        // are at or after from (the loop ran at least once) and hold no match.
        const std::size_t last = n - 16;
        const unsigned mask = hits_at(last);
        return mask != 0 ? last + static_cast<std::size_t>(__builtin_ctz(mask)) : n;
    }
#endif
    const std::uint64_t as = ones * static_cast<unsigned char>(a);
    const std::uint64_t bs = ones * static_cast<unsigned char>(b);
    const auto flags_at = [&](std::size_t at) {
        std::uint64_t v;
        std::memcpy(&v, s.data() + at, 8);
        std::uint64_t flags = equal_flags(v, as) | equal_flags(v, bs);
        if constexpr (with_controls) {
            flags |= (v - ones * 0x20) & ~v & highs; // bytes below 0x20
        }
        return flags;
    };
    if (i + 8 <= n) {
        for (; i + 8 <= n; i += 8) {
            if (const std::uint64_t flags = flags_at(i); flags != 0) {
                return i + static_cast<std::size_t>(__builtin_ctzll(flags)) / 8;
            }
        }
        // The last bytes in one word ending at the end: its bytes before i
        // are at or after from and hold no match, so its lowest flag is exact
        // (only the lowest is: a borrow from a match can flag the byte above).
        if (i < n) {
            const std::uint64_t flags = flags_at(n - 8);
            return flags != 0 ? n - 8 + static_cast<std::size_t>(__builtin_ctzll(flags)) / 8 : n;
        }
    }
    for (; i < n; ++i) {
        const char c = s[i];
        if ((with_controls && static_cast<unsigned char>(c) < 0x20) || c == a || c == b) {
            return i;
        }
    }
    return n;
}

} // namespace byte_scan_detail

// The index of the first byte of s at or after from that is a control
// character (< 0x20) or equal to a or b; s.size() when there is none.
inline std::size_t find_control_or(std::string_view s, std::size_t from, char a, char b) noexcept {
    return byte_scan_detail::find<true>(s, from, a, b);
}

// The index of the first byte of s at or after from equal to a or b;
// s.size() when there is none.
inline std::size_t find_either(std::string_view s, std::size_t from, char a, char b) noexcept {
    return byte_scan_detail::find<false>(s, from, a, b);
}

} // namespace analytics
