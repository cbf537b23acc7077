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

// Two words cover [i, n), the second ending at n: both lowest flags are exact
// (the second's bytes before i + size are already known to hold no match).
template <bool with_controls, typename Word>
inline std::size_t find_in_two_words(std::string_view s, std::size_t i, char a, char b) noexcept {
    const std::size_t n = s.size();
    if (const Word flags = word_flags<with_controls, Word>(s.data() + i, a, b); flags != 0) {
        return i + static_cast<std::size_t>(__builtin_ctzll(flags)) / 8;
    }
    const Word flags = word_flags<with_controls, Word>(s.data() + n - sizeof(Word), a, b);
    return flags != 0 ? n - sizeof(Word) + static_cast<std::size_t>(__builtin_ctzll(flags)) / 8 : n;
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
    if (i + 8 <= n) {
        for (; i + 16 <= n; i += 8) {
            if (const std::uint64_t flags =
                    word_flags<with_controls, std::uint64_t>(s.data() + i, a, b);
                flags != 0) {
                return i + static_cast<std::size_t>(__builtin_ctzll(flags)) / 8;
            }
        }
        return find_in_two_words<with_controls, std::uint64_t>(s, i, a, b); // 8 to 15 left
    }
    if (i + 4 <= n) {
        return find_in_two_words<with_controls, std::uint32_t>(s, i, a, b); // 4 to 7 left
    }
    for (; i < n; ++i) {
        const char c = s[i];
        if ((with_controls && static_cast<unsigned char>(c) < 0x20) || c == a || c == b) {
            return i;
        }
    }
    return n;
}

// copy_until's words: copies the word at src + i to dst + i; returns the
// index of its lowest flagged byte, or npos.
template <bool with_controls, typename Word>
inline std::size_t copy_word(const char* src, char* dst, std::size_t i, char a, char b) noexcept {
    std::memcpy(dst + i, src + i, sizeof(Word));
    const Word flags = word_flags<with_controls, Word>(src + i, a, b);
    return flags != 0 ? i + static_cast<std::size_t>(__builtin_ctzll(flags)) / 8
                      : std::string_view::npos;
}

// find<true> that copies what it scans, from the same loads.
inline std::size_t copy_until(const char* src, std::size_t n, char* dst, char a, char b) noexcept {
#if defined(__SSE2__)
    if (n >= 16) {
        const __m128i a16 = _mm_set1_epi8(a);
        const __m128i b16 = _mm_set1_epi8(b);
        const __m128i control_max = _mm_set1_epi8(0x1f);
        const auto copy_block = [&](std::size_t at) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + at));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + at), v);
            const __m128i hits =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, a16), _mm_cmpeq_epi8(v, b16)),
                             _mm_cmpeq_epi8(_mm_max_epu8(v, control_max), control_max));
            return static_cast<unsigned>(_mm_movemask_epi8(hits));
        };
        std::size_t i = 0;
        for (; i + 16 <= n; i += 16) {
            if (const unsigned mask = copy_block(i); mask != 0) {
                return i + static_cast<std::size_t>(__builtin_ctz(mask));
            }
        }
        if (i == n) {
            return n;
        }
        // The last bytes in one block ending at n, its lanes before i (seen,
        // no match) shifted out.
        const std::size_t last = n - 16;
        const unsigned mask = copy_block(last) >> (i - last);
        return mask != 0 ? i + static_cast<std::size_t>(__builtin_ctz(mask)) : n;
    }
#endif
    std::size_t i = 0;
    if (n >= 8) {
        for (; i + 16 <= n; i += 8) {
            if (const std::size_t at = copy_word<true, std::uint64_t>(src, dst, i, a, b);
                at != std::string_view::npos) {
                return at;
            }
        }
        // 8 to 15 left: two words, the second ending at n (its lowest flag
        // is exact, as in find_in_two_words).
        if (const std::size_t at = copy_word<true, std::uint64_t>(src, dst, i, a, b);
            at != std::string_view::npos) {
            return at;
        }
        const std::size_t at = copy_word<true, std::uint64_t>(src, dst, n - 8, a, b);
        return at != std::string_view::npos ? at : n;
    }
    if (n >= 4) {
        if (const std::size_t at = copy_word<true, std::uint32_t>(src, dst, 0, a, b);
            at != std::string_view::npos) {
            return at;
        }
        const std::size_t at = copy_word<true, std::uint32_t>(src, dst, n - 4, a, b);
        return at != std::string_view::npos ? at : n;
    }
    for (; i < n; ++i) {
        const char c = src[i];
        if (static_cast<unsigned char>(c) < 0x20 || c == a || c == b) {
            return i;
        }
        dst[i] = c;
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

// Copies src[0, n) to dst up to the first byte that is a control character
// (< 0x20) or equal to a or b, and returns its index; n when there is none.
// One pass for escapers: the scan's loads are stored as they are. dst has
// room for n bytes; from the returned index on, its bytes are unspecified.
inline std::size_t copy_until_control_or(const char* src, std::size_t n, char* dst, char a,
                                         char b) noexcept {
    return byte_scan_detail::copy_until(src, n, dst, a, b);
}

} // namespace analytics
