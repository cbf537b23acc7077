#include <analytics/util/text.hpp>

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace analytics {

namespace {

// One word of lower_ascii: a byte gets 0x20 added when it is ASCII and
// within 'A'..'Z'.
template <typename Word>
void lower_word(const char* in, char* out) noexcept {
    constexpr auto ones = static_cast<Word>(0x0101010101010101ULL);
    constexpr auto highs = static_cast<Word>(0x8080808080808080ULL);
    Word v;
    std::memcpy(&v, in, sizeof v);
    const Word low7 = v & ~highs;
    const Word from_a = low7 + ones * (0x80 - 'A');     // high bit: >= 'A'
    const Word past_z = low7 + ones * (0x80 - 'Z' - 1); // high bit: > 'Z'
    const Word upper = (from_a ^ past_z) & ~v & highs;
    v |= upper >> 2;
    std::memcpy(out, &v, sizeof v);
}

// Lower-cases n bytes from in to out (which may be the same), sixteen (SSE2)
// or eight at a time. Lower-casing twice changes nothing, so the last block
// ends at n and may overlap bytes already done: no byte-at-a-time tail.
void lower_ascii(const char* in, char* out, std::size_t n) noexcept {
    std::size_t i = 0;
#if defined(__SSE2__)
    if (n >= 16) {
        const __m128i before_a = _mm_set1_epi8('A' - 1);
        const __m128i after_z = _mm_set1_epi8('Z' + 1);
        const __m128i bit = _mm_set1_epi8(0x20);
        const auto block = [&](std::size_t at) {
            // Signed compares: bytes >= 0x80 are negative, never upper case.
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + at));
            const __m128i upper =
                _mm_and_si128(_mm_cmpgt_epi8(v, before_a), _mm_cmplt_epi8(v, after_z));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + at),
                             _mm_or_si128(v, _mm_and_si128(upper, bit)));
        };
        for (; i + 16 <= n; i += 16) {
            block(i);
        }
        if (i < n) {
            block(n - 16);
        }
        return;
    }
#endif
    if (n >= 8) {
        for (; i + 8 <= n; i += 8) {
            lower_word<std::uint64_t>(in + i, out + i);
        }
        if (i < n) {
            lower_word<std::uint64_t>(in + n - 8, out + n - 8);
        }
        return;
    }
    if (n >= 4) {
        lower_word<std::uint32_t>(in, out);
        lower_word<std::uint32_t>(in + n - 4, out + n - 4);
        return;
    }
    for (; i < n; ++i) {
        out[i] = ascii_lower(in[i]);
    }
}

} // namespace

void to_lower_ascii(std::string& s) noexcept {
    lower_ascii(s.data(), s.data(), s.size());
}

void to_upper_ascii(std::string& s) noexcept {
    for (char& c : s) {
        c = ascii_upper(c);
    }
}

void assign_lower_ascii(std::string& out, std::string_view in) {
    out.resize(in.size());
    lower_ascii(in.data(), out.data(), in.size());
}

bool iequal_bytes(const char* a, const char* b, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) {
            return false;
        }
    }
    return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::size_t ifind(std::string_view haystack, std::string_view needle) noexcept {
    if (needle.empty()) {
        return 0;
    }
    if (needle.size() > haystack.size()) {
        return std::string_view::npos;
    }
    const char first = ascii_lower(needle[0]);
    for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
        if (ascii_lower(haystack[i]) == first &&
            iequals(haystack.substr(i, needle.size()), needle)) {
            return i;
        }
    }
    return std::string_view::npos;
}

std::string_view trim(std::string_view s) noexcept {
    std::size_t begin = 0;
    std::size_t end = s.size();
    while (begin < end &&
           (s[begin] == ' ' || s[begin] == '\t' || s[begin] == '\r' || s[begin] == '\n')) {
        ++begin;
    }
    while (end > begin &&
           (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r' || s[end - 1] == '\n')) {
        --end;
    }
    return s.substr(begin, end - begin);
}

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid.
std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        return 1;
    }
    auto cont = [&](std::size_t k) {
        return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    };
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        return cont(1) ? 2 : 0;
    }
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (!cont(1) || !cont(2)) {
            return 0;
        }
        const auto b1 = static_cast<unsigned char>(s[i + 1]);
        if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 > 0x9F)) {
            return 0; // overlong, or a UTF-16 surrogate
        }
        return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) {
            return 0;
        }
        const auto b1 = static_cast<unsigned char>(s[i + 1]);
        if ((b0 == 0xF0 && b1 < 0x90) || (b0 == 0xF4 && b1 > 0x8F)) {
            return 0;
        }
        return 4;
    }
    return 0;
}

} // namespace

bool is_valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        // ASCII fast paths: thirty-two (SSE2) or eight bytes at a time, then
        // one; only a byte >= 0x80 starts a sequence to check.
#if defined(__SSE2__)
        if (i + 32 <= s.size()) {
            const auto* at = reinterpret_cast<const __m128i*>(s.data() + i);
            if (_mm_movemask_epi8(_mm_or_si128(_mm_loadu_si128(at), _mm_loadu_si128(at + 1))) ==
                0) {
                i += 32;
                continue;
            }
        }
#endif
        if (i + 8 <= s.size()) {
            std::uint64_t word;
            std::memcpy(&word, s.data() + i, 8);
            if ((word & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const std::size_t n = utf8_sequence(s, i);
        if (n == 0) {
            return false;
        }
        i += n;
    }
    return true;
}

std::string with_thousands(std::int64_t n) {
    const std::string digits =
        std::to_string(n < 0 ? -static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n));
    std::string out = n < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out.push_back(',');
        }
        out.push_back(digits[i]);
    }
    return out;
}

std::size_t repair_utf8(std::string_view s, std::string& out) {
    out.clear();
    out.reserve(s.size() + 16);
    std::size_t replaced = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t n = utf8_sequence(s, i);
        if (n == 0) {
            out.append("\xEF\xBF\xBD");
            ++replaced;
            ++i;
        } else {
            out.append(s.data() + i, n);
            i += n;
        }
    }
    return replaced;
}

std::string quoted_value(std::string_view value) {
    const std::string_view cut = truncate_utf8(value, quoted_value_chars);
    std::string out = "\"" + std::string(cut);
    if (cut.size() < value.size()) {
        out += "…\" (" + std::to_string(value.size()) + " bytes)";
        return out;
    }
    return out + "\"";
}

std::string_view truncate_utf8(std::string_view s, std::size_t max_code_points) noexcept {
    if (s.size() <= max_code_points) {
        return s; // every character takes a byte at least: nothing to cut
    }
    std::size_t i = 0;
    std::size_t count = 0;
    while (i < s.size() && count < max_code_points) {
        const std::size_t n = utf8_sequence(s, i);
        i += n == 0 ? 1 : n;
        ++count;
    }
    return s.substr(0, i);
}

} // namespace analytics
