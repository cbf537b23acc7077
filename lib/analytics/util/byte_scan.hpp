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

// 0x01 and 0x80 in every byte of a word of type Word.
template <typename Word>
constexpr Word ones = static_cast<Word>(0x0101010101010101ULL);
template <typename Word>
constexpr Word highs = static_cast<Word>(0x8080808080808080ULL);

// The high bit of each byte of v equal to the byte c is set (and possibly
// of bytes above it: only the lowest flag is exact, as a borrow runs upwards
// from a true match).
template <typename Word>
inline Word equal_flags(Word v, Word c_in_every_byte) noexcept {
    const Word x = v ^ c_in_every_byte;
    return (x - ones<Word>)&~x & highs<Word>;
}

// The flags of the bytes of the word at p equal to a or b, or controls.
template <bool with_controls, typename Word>
inline Word word_flags(const char* p, char a, char b) noexcept {
    Word v;
    std::memcpy(&v, p, sizeof v);
    Word flags = equal_flags<Word>(v, ones<Word> * static_cast<unsigned char>(a)) |
                 equal_flags<Word>(v, ones<Word> * static_cast<unsigned char>(b));
    if constexpr (with_controls) {
        flags |= (v - ones<Word> * 0x20) & ~v & highs<Word>; // bytes below 0x20
    }
    return flags;
}

// word_flags of the word at s + at, which scan<_, true> also copies to
// dst + at.
template <bool with_controls, bool copy, typename Word>
inline Word scanned_word(const char* s, std::size_t at, char* dst, char a, char b) noexcept {
    if constexpr (copy) {
        std::memcpy(dst + at, s + at, sizeof(Word));
    }
    return word_flags<with_controls, Word>(s + at, a, b);
}

// Two words cover [i, n), the second ending at n: both lowest flags are exact
// (the second's bytes before i + size are already known to hold no match).
template <bool with_controls, bool copy, typename Word>
inline std::size_t find_in_two_words(std::string_view s, std::size_t i, char* dst, char a,
                                     char b) noexcept {
    const std::size_t n = s.size();
    if (const Word flags = scanned_word<with_controls, copy, Word>(s.data(), i, dst, a, b);
        flags != 0) {
        return i + static_cast<std::size_t>(__builtin_ctzll(flags)) / 8;
    }
    const Word flags =
        scanned_word<with_controls, copy, Word>(s.data(), n - sizeof(Word), dst, a, b);
    return flags != 0 ? n - sizeof(Word) + static_cast<std::size_t>(__builtin_ctzll(flags)) / 8 : n;
}

// The first byte at or after from that is a or b (or a control); with copy,
// every byte loaded is also stored at the same index of dst (escapers copy
// what they scan in the same pass).
template <bool with_controls, bool copy>
inline std::size_t scan(std::string_view s, std::size_t from, char a, char b,
                        [[maybe_unused]] char* dst) noexcept {
    std::size_t i = from;
    const std::size_t n = s.size();
#if defined(__SSE2__) // every x86-64: half the instructions per byte of the words below
    if (i + 16 <= n) {
        const __m128i a16 = _mm_set1_epi8(a);
        const __m128i b16 = _mm_set1_epi8(b);
        const __m128i control_max = _mm_set1_epi8(0x1f);
        const auto hits_at = [&](std::size_t at) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at));
            if constexpr (copy) {
                _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + at), v);
            }
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
    if (i + 8 <= n) {
        for (; i + 16 <= n; i += 8) {
            if (const std::uint64_t flags =
                    scanned_word<with_controls, copy, std::uint64_t>(s.data(), i, dst, a, b);
                flags != 0) {
                return i + static_cast<std::size_t>(__builtin_ctzll(flags)) / 8;
            }
        }
        // 8 to 15 left.
        return find_in_two_words<with_controls, copy, std::uint64_t>(s, i, dst, a, b);
    }
    if (i + 4 <= n) {
        // 4 to 7 left.
        return find_in_two_words<with_controls, copy, std::uint32_t>(s, i, dst, a, b);
    }
    for (; i < n; ++i) {
        const char c = s[i];
        if constexpr (copy) {
            dst[i] = c;
        }
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
    return byte_scan_detail::scan<true, false>(s, from, a, b, nullptr);
}

// The index of the first byte of s at or after from equal to a or b;
// s.size() when there is none.
inline std::size_t find_either(std::string_view s, std::size_t from, char a, char b) noexcept {
    return byte_scan_detail::scan<false, false>(s, from, a, b, nullptr);
}

// Copies src[0, n) to dst up to the first byte that is a control character
// (< 0x20) or equal to a or b, and returns its index; n when there is none.
// One pass for escapers: the scan's loads are stored as they are. dst has
// room for n bytes; from the returned index on, its bytes are unspecified.
inline std::size_t copy_until_control_or(const char* src, std::size_t n, char* dst, char a,
                                         char b) noexcept {
    return byte_scan_detail::scan<true, true>(std::string_view(src, n), 0, a, b, dst);
}

} // namespace analytics
