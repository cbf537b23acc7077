#include <analytics/util/byte_scan.hpp>
#include <analytics/util/privacy.hpp>
#include <analytics/util/text.hpp>
#include <analytics/util/url.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace analytics {

namespace {

// Lower-case, '-' as '_': the form secret_names are written in.
char folded(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c == '-' ? '_' : c;
}

// Control characters and blanks: invisible in a log, so never part of a name.
bool ignored(char c) noexcept {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f;
}

// Longer keys cannot be secret names (the longest is short): the bound keeps
// the folding buffer on the stack.
constexpr std::size_t max_name_size = 64;

std::vector<std::string>& configured_names() {
    static std::vector<std::string> names;
    return names;
}

} // namespace

// The shapes of the secret names (built-in and configured), folded: most keys
// are ruled out by their first and last visible characters alone, and nearly
// all the others by their size, first and last characters together, before
// any name is folded or compared (the hot path: every query parameter of
// every line).
struct SecretShapes {
    // A bit per last character (its low six bits: distinct for letters,
    // digits and '_'), for each first character.
    std::uint64_t last_by_first[256] = {};
    std::uint64_t by_size[max_name_size + 1] = {}; // a bit per (first, last) pair

    static std::uint64_t char_bit(char c) noexcept {
        return std::uint64_t{1} << (static_cast<unsigned char>(c) & 63);
    }

    static std::uint64_t pair_bit(char first_char, char last_char) noexcept {
        const unsigned pair =
            static_cast<unsigned char>(first_char) * 31u + static_cast<unsigned char>(last_char);
        return std::uint64_t{1} << (pair & 63);
    }

    void add(std::string_view name) noexcept {
        if (!name.empty() && name.size() <= max_name_size) {
            last_by_first[static_cast<unsigned char>(name.front())] |= char_bit(name.back());
            by_size[name.size()] |= pair_bit(name.front(), name.back());
        }
    }

    // False when no name starts with first_char and ends with last_char (folded).
    bool may_end(char first_char, char last_char) const noexcept {
        return (last_by_first[static_cast<unsigned char>(first_char)] & char_bit(last_char)) != 0;
    }

    // False when name (folded, not empty, at most max_name_size) is none of them.
    bool may_be(std::string_view name) const noexcept {
        return (by_size[name.size()] & pair_bit(name.front(), name.back())) != 0;
    }
};

SecretShapes& secret_shapes() {
    static SecretShapes shapes = [] {
        SecretShapes s;
        for (const std::string_view name : secret_names) {
            s.add(name);
        }
        return s;
    }();
    return shapes;
}

bool is_secret_name(std::string_view key) noexcept {
    std::size_t first = 0;
    while (first < key.size() && ignored(key[first])) {
        ++first;
    }
    if (first == key.size()) {
        return false;
    }
    std::size_t last = key.size() - 1;
    while (ignored(key[last])) { // stops at first, which is visible
        --last;
    }
    const SecretShapes& shapes = secret_shapes();
    if (!shapes.may_end(folded(key[first]), folded(key[last]))) {
        return false;
    }
    char buffer[max_name_size];
    std::size_t size = 0;
    for (const char c : key.substr(first)) {
        if (ignored(c)) {
            continue;
        }
        if (size == max_name_size) {
            return false;
        }
        buffer[size++] = folded(c);
    }
    const std::string_view name(buffer, size);
    if (!shapes.may_be(name)) {
        return false;
    }
    const auto is_name = [name](std::string_view secret) { return name == secret; };
    return std::any_of(std::begin(secret_names), std::end(secret_names), is_name) ||
           std::any_of(configured_names().begin(), configured_names().end(), is_name);
}

namespace {

// The first two bytes of each secret fragment, as a bit per pair: one pass
// over the text finds where a fragment may start (nine find() passes were a
// tenth of parsing a combined line).
struct FragmentStarts {
    std::uint64_t bits[1024] = {}; // 65,536 pairs

    FragmentStarts() noexcept {
        for (const std::string_view fragment : secret_fragments) {
            const unsigned pair = pair_at(fragment.data());
            bits[pair >> 6] |= std::uint64_t{1} << (pair & 63);
        }
    }

    static unsigned pair_at(const char* p) noexcept {
        return static_cast<unsigned>(static_cast<unsigned char>(p[0])) << 8 |
               static_cast<unsigned char>(p[1]);
    }

    bool may_start(const char* p) const noexcept {
        const unsigned pair = pair_at(p);
        return (bits[pair >> 6] >> (pair & 63) & 1) != 0;
    }
};

// True when a fragment starts at text[i] (i + 1 < text.size()).
bool fragment_at(std::string_view text, std::size_t i) noexcept {
    const std::string_view rest = text.substr(i);
    return std::any_of(
        std::begin(secret_fragments), std::end(secret_fragments), [rest](std::string_view f) {
            return rest[1] == f[1] && rest[0] == f[0] && rest.substr(0, f.size()) == f;
        });
}

bool contains_fragment(std::string_view text) noexcept {
    std::size_t i = 0;
#if defined(__SSE2__)
    // Sixteen starts at a time: the first two bytes of every fragment
    // compared with the bytes at each start and the next (query strings of
    // OTel records are long: a pair lookup per byte was 3% of parsing them).
    struct Pairs {
        __m128i first[std::size(secret_fragments)];
        __m128i second[std::size(secret_fragments)];

        Pairs() noexcept {
            for (std::size_t f = 0; f < std::size(secret_fragments); ++f) {
                first[f] = _mm_set1_epi8(secret_fragments[f][0]);
                second[f] = _mm_set1_epi8(secret_fragments[f][1]);
            }
        }
    };

    static const Pairs pairs;
    for (; i + 17 <= text.size(); i += 16) {
        const __m128i here = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
        const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i + 1));
        __m128i hits = _mm_setzero_si128();
        for (std::size_t f = 0; f < std::size(secret_fragments); ++f) {
            hits = _mm_or_si128(hits, _mm_and_si128(_mm_cmpeq_epi8(here, pairs.first[f]),
                                                    _mm_cmpeq_epi8(next, pairs.second[f])));
        }
        for (auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits)); mask != 0;
             mask &= mask - 1) {
            if (fragment_at(text, i + static_cast<std::size_t>(__builtin_ctz(mask)))) {
                return true;
            }
        }
    }
#endif
    static const FragmentStarts starts;
    for (; i + 1 < text.size(); ++i) {
        if (starts.may_start(text.data() + i) && fragment_at(text, i)) {
            return true;
        }
    }
    return false;
}

} // namespace

bool may_name_a_secret(std::string_view lower_text) noexcept {
    // What may split every fragment of a name in raw text is passed on to be
    // decoded and checked: a blank, a control or a '+' (is_secret_name skips
    // blanks), and an escape of a name's byte ("%6B" is 'k') or of a skipped
    // one. Escapes of others ("%2F", "%3A") cannot be inside a name.
    if (find_control_or(lower_text, 0, ' ', '\x7f') != lower_text.size()) {
        return true;
    }
    for (std::size_t i = find_either(lower_text, 0, '%', '+'); i < lower_text.size();
         i = find_either(lower_text, i + 1, '%', '+')) {
        const int escaped = lower_text[i] == '+' ? ' ' : escaped_byte_at(lower_text, i);
        if (escaped >= 0 && (escaped <= 0x20 || escaped == 0x7f || escaped == '_' ||
                             escaped == '-' || std::isalnum(escaped) != 0)) {
            return true;
        }
    }
    const auto contains = [lower_text](std::string_view fragment) {
        return lower_text.find(fragment) != std::string_view::npos;
    };
    return contains_fragment(lower_text) ||
           std::any_of(configured_names().begin(), configured_names().end(),
                       [&](const std::string& name) {
                           // "x-my_key" in text is "x_my_key" here: search the part
                           // before any '_' so that either spelling passes.
                           return contains(std::string_view(name).substr(0, name.find('_')));
                       });
}

void set_configured_secret_names(const std::vector<std::string>& names) {
    std::vector<std::string>& configured = configured_names();
    configured.clear();
    for (const std::string& name : names) {
        std::string form;
        for (const char c : name) {
            if (!ignored(c)) {
                form.push_back(folded(c));
            }
        }
        if (!form.empty() && form.size() <= max_name_size) {
            secret_shapes().add(form);
            configured.push_back(std::move(form));
        }
    }
}

namespace {

bool key_char(char c) noexcept {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
}

// Whether a key may start at text[pos] (with a key byte or an escape): at the
// start, after a byte no key holds (?, &, a blank, a quote…: in a malformed
// line the secret may be anywhere), or after an escape of such a byte (an
// address encoded in a value: "%3Fapikey%3D…").
bool key_may_start(std::string_view text, std::size_t pos) noexcept {
    if (!key_char(text[pos]) && text[pos] != '%') {
        return false;
    }
    if (pos == 0 || !key_char(text[pos - 1])) {
        return true;
    }
    const int before = pos >= 3 ? escaped_byte_at(text, pos - 3) : -1;
    return before >= 0 && !key_char(static_cast<char>(before));
}

// The index of the quote that closes the JSON string opened at text[open],
// searched up to limit bytes on; npos when there is none.
std::size_t json_string_end(std::string_view text, std::size_t open, std::size_t limit) noexcept {
    const std::size_t stop = std::min(text.size(), open + 1 + std::min(limit, text.size()));
    for (std::size_t i = open + 1; i < stop; ++i) {
        if (text[i] == '\\') {
            ++i;
        } else if (text[i] == '"') {
            return i;
        }
    }
    return std::string_view::npos;
}

// A JSON property name as written between its quotes, unescaped where that
// matters for a name ("\u0061pi_key" is api_key): \uXXXX below 0x80, \x.
void json_name(std::string_view raw, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\' || i + 1 == raw.size()) {
            out.push_back(raw[i]);
            continue;
        }
        unsigned code = 0;
        bool ascii = raw[i + 1] == 'u' && i + 6 <= raw.size();
        for (std::size_t k = i + 2; ascii && k < i + 6; ++k) {
            const int digit = hex_value(raw[k]);
            ascii = digit >= 0;
            code = code * 16 + static_cast<unsigned>(digit);
        }
        if (ascii && code < 0x80) {
            out.push_back(static_cast<char>(code));
            i += 5;
        } else {
            out.push_back(raw[++i]);
        }
    }
}

// A JSON property named by a secret, or whose last dotted part is one.
bool names_a_secret(std::string_view name) noexcept {
    const std::size_t dot = name.rfind('.');
    return is_secret_name(name) ||
           (dot != std::string_view::npos && is_secret_name(name.substr(dot + 1)));
}

std::size_t skip_json_blanks(std::string_view text, std::size_t i) noexcept {
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
        ++i;
    }
    return i;
}

} // namespace

bool redact_secrets(std::string& text) {
    constexpr std::string_view redacted = "REDACTED";
    constexpr std::size_t max_key_bytes = 32;
    std::string out; // built only once a secret is found: linear in any text
    std::size_t copied = 0;
    std::string key;
    const auto redact = [&](std::size_t begin, std::size_t end) {
        out.append(text, copied, begin - copied);
        out.append(redacted);
        copied = end;
    };
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
        if (text[pos] == ':' && text.compare(pos, 3, "://") == 0) {
            // "scheme://user:password@host": the credentials go.
            const std::size_t begin = pos + 3;
            const std::size_t at = text.find_first_of("@/?# \"", begin);
            if (at != std::string::npos && text[at] == '@' && at > begin) {
                redact(begin, at);
                pos = at;
            }
            continue;
        }
        if (text[pos] == '"') {
            // "name": value, the value a string or a scalar (an object or an
            // array is left: its own names are checked as they come).
            constexpr std::size_t max_name_bytes = 128;
            const std::size_t close = json_string_end(text, pos, max_name_bytes);
            const std::size_t colon =
                close == std::string::npos ? close : skip_json_blanks(text, close + 1);
            if (colon >= text.size() || text[colon] != ':') {
                continue;
            }
            json_name(std::string_view(text).substr(pos + 1, close - pos - 1), key);
            const std::size_t value = skip_json_blanks(text, colon + 1);
            if (!names_a_secret(key) || value >= text.size() || text[value] == '{' ||
                text[value] == '[') {
                continue;
            }
            const bool quoted = text[value] == '"';
            const std::size_t begin = quoted ? value + 1 : value;
            std::size_t end = quoted ? json_string_end(text, value, std::string::npos)
                                     : text.find_first_of(",}] \t\r\n", value);
            end = std::min(end, text.size());
            if (end == begin && !quoted) {
                continue; // no value at all
            }
            redact(begin, end);
            pos = end - 1;
            continue;
        }
        if (!key_may_start(text, pos)) {
            continue;
        }
        // The key runs to its '=', or to "%3D" in an encoded address.
        std::size_t eq = pos;
        std::size_t equals_size = 0;
        for (; eq < text.size() && eq - pos < max_key_bytes; ++eq) {
            const char c = text[eq];
            if (c == '=' || (c == '%' && escaped_byte_at(text, eq) == '=')) {
                equals_size = c == '=' ? 1 : 3;
                break;
            }
            if (c == '&' || c == ' ' || c == '"') {
                break;
            }
        }
        if (equals_size == 0) {
            continue;
        }
        // "api_key%00=" names api_key too: compare the decoded name.
        percent_decode(std::string_view(text).substr(pos, eq - pos), key, true);
        if (!is_secret_name(key)) {
            continue;
        }
        // The value ends with its pair; after an escaped '=', an escaped '&'
        // or '#' ends it too (after a plain one they are the value's own).
        const std::size_t begin = eq + equals_size;
        std::size_t end = begin;
        for (; end < text.size(); ++end) {
            const char c = text[end];
            if (c == '&' || c == ' ' || c == '"' || c == '#') {
                break;
            }
            if (equals_size == 3 && c == '%') {
                const int escaped = escaped_byte_at(text, end);
                if (escaped == '&' || escaped == '#') {
                    break;
                }
            }
        }
        redact(begin, end);
        pos = end - 1; // past the value (end > eq >= pos)
    }
    if (copied == 0) {
        return false;
    }
    out.append(text, copied, std::string::npos);
    text.swap(out);
    return true;
}

bool scrub_query_string(std::string& query, std::string& scratch) {
    bool removed = false;
    bool nests = false;
    for_each_query_pair(query, [&](std::string_view key, std::string_view value) {
        percent_decode(key, scratch, true);
        if (is_secret_name(scratch)) {
            removed = true;
        } else {
            nests = nests || may_hold_assignment(key) || may_hold_assignment(value);
        }
    });
    if (removed) {
        std::string kept;
        for_each_query_pair(query, [&](std::string_view key, std::string_view value) {
            percent_decode(key, scratch, true);
            if (is_secret_name(scratch)) {
                return;
            }
            if (!kept.empty()) {
                kept.push_back('&');
            }
            kept.append(key.data(), key.size());
            if (value.data() != nullptr && key.data() + key.size() < query.data() + query.size() &&
                key.data()[key.size()] == '=') {
                kept.push_back('=');
                kept.append(value.data(), value.size());
            }
        });
        query.swap(kept);
    }
    const bool redacted = nests && redact_secrets(query);
    return removed || redacted;
}

bool scrub_url(std::string& url, const UrlParts& parts, std::string& scratch) {
    // Offsets first: scrubbing the query string may move the text after them.
    const std::size_t userinfo_at =
        parts.userinfo.empty() ? 0 : static_cast<std::size_t>(parts.userinfo.data() - url.data());
    bool changed = false;
    if (!parts.query.empty()) {
        assign_lower_ascii(scratch, parts.query);
        if (may_name_a_secret(scratch)) {
            const auto begin = static_cast<std::size_t>(parts.query.data() - url.data());
            std::string query(parts.query);
            if (scrub_query_string(query, scratch)) {
                url.replace(begin - 1, parts.query.size() + 1, query.empty() ? "" : "?" + query);
                changed = true;
            }
        }
    }
    if (!parts.userinfo.empty()) {
        url.erase(userinfo_at, parts.userinfo.size());
        changed = true;
    }
    return changed;
}

} // namespace analytics
