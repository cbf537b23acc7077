#include <analytics/util/privacy.hpp>

#include <algorithm>
#include <cstdint>
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

} // namespace analytics
