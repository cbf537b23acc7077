#pragma once

// Small text helpers for the hot path: ASCII case, UTF-8 validity, trimming.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace analytics {

inline char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

inline char ascii_upper(char c) noexcept {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - ('a' - 'A')) : c;
}

void to_lower_ascii(std::string& s) noexcept;
void to_upper_ascii(std::string& s) noexcept;
void assign_lower_ascii(std::string& out, std::string_view in);

// out = in, as assign() does, through append() when in lies outside out's
// buffer: assign() takes the general replace path (overlap checks) every
// time, and records assign dozens of fields a line.
inline void assign_text(std::string& out, std::string_view in) {
    const auto at = reinterpret_cast<std::uintptr_t>(in.data());
    const auto buffer = reinterpret_cast<std::uintptr_t>(out.data());
    if (at + in.size() <= buffer || at > buffer + out.capacity()) {
        out.clear();
        out.append(in.data(), in.size());
    } else {
        out.assign(in.data(), in.size());
    }
}

// ASCII case-insensitive equality of a[0, n) and b[0, n).
bool iequal_bytes(const char* a, const char* b, std::size_t n) noexcept;

// Inline for the size test, which settles most comparisons without a call.
inline bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && iequal_bytes(a.data(), b.data(), a.size());
}

bool istarts_with(std::string_view s, std::string_view prefix) noexcept;
// Case-insensitive search for an ASCII needle; npos when absent.
std::size_t ifind(std::string_view haystack, std::string_view needle) noexcept;

std::string_view trim(std::string_view s) noexcept;

// The whole of text as an integer of type T; false on anything else
// (empty, sign or digits only, no overflow).
template <typename T>
bool parse_integer(std::string_view text, T& out) noexcept {
    if (text.empty()) {
        return false;
    }
    const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
    return result.ec == std::errc{} && result.ptr == text.data() + text.size();
}

// 1234567 → "1,234,567"
std::string with_thousands(std::int64_t n);

// True when s is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;
// Copies s to out replacing each invalid byte by U+FFFD; returns the count.
std::size_t repair_utf8(std::string_view s, std::string& out);
// The longest prefix of valid UTF-8 s with at most max_code_points.
std::string_view truncate_utf8(std::string_view s, std::size_t max_code_points) noexcept;

// s cut in place to that prefix; true when anything was cut. Inline: the
// common text, no longer in bytes than the characters allowed, costs a test.
inline bool cut_utf8(std::string& s, std::size_t max_code_points) noexcept {
    if (s.size() <= max_code_points) {
        return false;
    }
    const std::size_t kept = truncate_utf8(s, max_code_points).size();
    if (kept == s.size()) {
        return false;
    }
    s.resize(kept);
    return true;
}

// A value as a reject reason or warning quotes it: whole up to
// quoted_value_chars characters, else its beginning, "…" and its length in
// bytes (one rule for every format).
inline constexpr std::size_t quoted_value_chars = 100;
std::string quoted_value(std::string_view value);

} // namespace analytics
