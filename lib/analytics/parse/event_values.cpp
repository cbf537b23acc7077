#include <analytics/parse/event_values.hpp>
#include <analytics/util/json_text.hpp>
#include <analytics/util/privacy.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace analytics::parse::event_values {

using simdjson::SUCCESS;
using simdjson::dom::array;
using simdjson::dom::element_type;
using simdjson::dom::object;

namespace {

// Longest excerpt of a string value quoted in a message.
constexpr std::size_t quoted_chars = 40;

char fold(char c) {
    if (c >= 'A' && c <= 'Z') {
        return static_cast<char>(c - 'A' + 'a');
    }
    return c == '-' ? '_' : c;
}

// Optional sign and decimal digits, nothing else.
IntStatus parse_integer_text(std::string_view s, std::int64_t& out) {
    constexpr std::uint64_t limit = std::uint64_t{1} << 63; // |INT64_MIN|
    std::size_t pos = 0;
    const bool negative = !s.empty() && s[0] == '-';
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        pos = 1;
    }
    if (pos == s.size()) {
        return IntStatus::not_integer;
    }
    std::uint64_t magnitude = 0;
    bool overflow = false;
    for (; pos < s.size(); ++pos) {
        if (s[pos] < '0' || s[pos] > '9') {
            return IntStatus::not_integer;
        }
        const auto digit = static_cast<std::uint64_t>(s[pos] - '0');
        if (magnitude > (limit - digit) / 10) {
            overflow = true;
        } else if (!overflow) {
            magnitude = magnitude * 10 + digit;
        }
    }
    if (overflow || (!negative && magnitude == limit)) {
        return IntStatus::out_of_range;
    }
    if (negative) {
        out = magnitude == limit ? std::numeric_limits<std::int64_t>::min()
                                 : -static_cast<std::int64_t>(magnitude);
    } else {
        out = static_cast<std::int64_t>(magnitude);
    }
    return IntStatus::ok;
}

void append_clean_string(std::string& out, std::string_view s, bool& nul_removed) {
    if (s.find('\0') == std::string_view::npos) {
        append_json_string(out, s);
        return;
    }
    std::string clean{s};
    nul_removed |= remove_nul(clean);
    append_json_string(out, clean);
}

} // namespace

bool as_string(element v, std::string_view& s) {
    return v.get_string().get(s) == SUCCESS;
}

bool same_name(std::string_view text, std::string_view folded) {
    return text.size() == folded.size() && std::equal(text.begin(), text.end(), folded.begin(),
                                                      [](char a, char b) { return fold(a) == b; });
}

bool truncate_chars(std::string& s, std::size_t max_chars) {
    if (s.size() <= max_chars) { // bytes >= code points
        return false;
    }
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) { // not a continuation byte
            if (count == max_chars) {
                s.resize(i);
                return true;
            }
            ++count;
        }
    }
    return false;
}

bool remove_nul(std::string& s) {
    const auto end = std::remove(s.begin(), s.end(), '\0');
    if (end == s.end()) {
        return false;
    }
    s.erase(end, s.end());
    return true;
}

std::string describe(element v) {
    switch (v.type()) {
    case element_type::ARRAY:
        return "an array";
    case element_type::OBJECT:
        return "an object";
    case element_type::STRING: {
        std::string_view view;
        std::string s{as_string(v, view) ? view : std::string_view{}};
        const bool cut = truncate_chars(s, quoted_chars);
        std::string out;
        append_json_string(out, s);
        if (cut) {
            out += "...";
        }
        return out;
    }
    default:
        return simdjson::minify(v); // numbers, true, false, null
    }
}

IntStatus to_integer(element v, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
    std::int64_t value = 0;
    switch (v.type()) {
    case element_type::INT64:
        if (v.get_int64().get(value) != SUCCESS) {
            return IntStatus::not_integer;
        }
        break;
    case element_type::UINT64: { // only values above INT64_MAX are stored as UINT64
        std::uint64_t u = 0;
        if (v.get_uint64().get(u) != SUCCESS ||
            u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return IntStatus::out_of_range;
        }
        value = static_cast<std::int64_t>(u);
        break;
    }
    case element_type::DOUBLE: {
        double d = 0;
        if (v.get_double().get(d) != SUCCESS || !std::isfinite(d) || d != std::trunc(d)) {
            return IntStatus::not_integer;
        }
        if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
            return IntStatus::out_of_range;
        }
        value = static_cast<std::int64_t>(d);
        break;
    }
    case element_type::STRING: {
        std::string_view s;
        if (!as_string(v, s)) {
            return IntStatus::not_integer;
        }
        const auto status = parse_integer_text(s, value);
        if (status != IntStatus::ok) {
            return status;
        }
        break;
    }
    default:
        return IntStatus::not_integer;
    }
    if (value < lo || value > hi) {
        return IntStatus::out_of_range;
    }
    out = value;
    return IntStatus::ok;
}

const char* to_text(IntStatus status) {
    return status == IntStatus::out_of_range ? "out of range" : "not an integer";
}

std::optional<bool> to_bool(element v) {
    switch (v.type()) {
    case element_type::BOOL: {
        bool b = false;
        if (v.get_bool().get(b) == SUCCESS) {
            return b;
        }
        return std::nullopt;
    }
    case element_type::STRING: {
        std::string_view s;
        if (!as_string(v, s)) {
            return std::nullopt;
        }
        if (same_name(s, "true") || same_name(s, "1") || same_name(s, "yes")) {
            return true;
        }
        if (same_name(s, "false") || same_name(s, "0") || same_name(s, "no")) {
            return false;
        }
        return std::nullopt;
    }
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: {
        std::int64_t n = 0;
        if (to_integer(v, 0, 1, n) == IntStatus::ok) {
            return n == 1;
        }
        return std::nullopt;
    }
    default:
        return std::nullopt;
    }
}

void append_value(std::string& out, element v, Redact redact, bool& nul_removed) {
    switch (v.type()) {
    case element_type::OBJECT: {
        object o;
        if (v.get_object().get(o) != SUCCESS) {
            out += "null";
            return;
        }
        out.push_back('{');
        bool first = true;
        for (const auto& [key, value] : o) {
            if (redact != Redact::none && is_secret_name(key)) {
                continue;
            }
            if (!first) {
                out.push_back(',');
            }
            first = false;
            append_clean_string(out, key, nul_removed);
            out.push_back(':');
            const bool params = redact == Redact::keys_and_params && key == "params";
            append_value(out, value, params ? Redact::keys : Redact::none, nul_removed);
        }
        out.push_back('}');
        return;
    }
    case element_type::ARRAY: {
        array a;
        if (v.get_array().get(a) != SUCCESS) {
            out += "null";
            return;
        }
        out.push_back('[');
        bool first = true;
        for (element item : a) {
            if (!first) {
                out.push_back(',');
            }
            first = false;
            append_value(out, item, Redact::none, nul_removed);
        }
        out.push_back(']');
        return;
    }
    case element_type::STRING: {
        std::string_view s;
        append_clean_string(out, as_string(v, s) ? s : std::string_view{}, nul_removed);
        return;
    }
    default:
        out += simdjson::minify(v); // numbers, true, false, null
    }
}

std::string_view url_host(std::string_view url) {
    constexpr std::string_view space = " \t\r\n\f\v";
    const auto begin = url.find_first_not_of(space);
    if (begin == std::string_view::npos) {
        return {};
    }
    url = url.substr(begin, url.find_last_not_of(space) - begin + 1);
    std::size_t pos = 0;
    const auto colon = url.find(':');
    const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    const auto is_scheme_char = [&is_alpha](char c) {
        return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    };
    if (colon != std::string_view::npos && colon > 0 && is_alpha(url[0]) &&
        std::all_of(url.begin() + 1, url.begin() + static_cast<std::ptrdiff_t>(colon),
                    is_scheme_char)) {
        pos = colon + 1;
    }
    if (url.substr(pos, 2) != "//") {
        return {};
    }
    pos += 2;
    auto host = url.substr(pos, url.find_first_of("/?#", pos) - pos);
    const auto at = host.rfind('@');
    if (at != std::string_view::npos) {
        host.remove_prefix(at + 1);
    }
    return host;
}

} // namespace analytics::parse::event_values
