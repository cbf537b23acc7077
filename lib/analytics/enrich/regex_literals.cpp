#include <analytics/enrich/regex_literals.hpp>
#include <analytics/util/text.hpp>

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

namespace analytics::enrich {

namespace {

using Kind = LiteralNeed::Kind;

LiteralNeed nothing() {
    return {};
}

// AND of parts: parts that need nothing drop out.
LiteralNeed all_of(std::vector<LiteralNeed> parts) {
    LiteralNeed out{Kind::all, {}, {}};
    for (LiteralNeed& part : parts) {
        if (part.kind == Kind::all) {
            for (LiteralNeed& inner : part.parts) {
                out.parts.push_back(std::move(inner));
            }
        } else if (part.kind != Kind::nothing) {
            out.parts.push_back(std::move(part));
        }
    }
    if (out.parts.empty()) {
        return nothing();
    }
    if (out.parts.size() == 1) {
        return std::move(out.parts.front());
    }
    return out;
}

// OR of parts: one part that needs nothing makes the whole need nothing.
LiteralNeed any_of(std::vector<LiteralNeed> parts) {
    LiteralNeed out{Kind::any, {}, {}};
    for (LiteralNeed& part : parts) {
        if (part.kind == Kind::nothing) {
            return nothing();
        }
        if (part.kind == Kind::any) {
            for (LiteralNeed& inner : part.parts) {
                out.parts.push_back(std::move(inner));
            }
        } else {
            out.parts.push_back(std::move(part));
        }
    }
    if (out.parts.size() == 1) {
        return std::move(out.parts.front());
    }
    return out;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_alnum(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// What a piece of a pattern matches, as RE2's own prefilter (prefilter.cc)
// tracks it: either exactly one of a few known strings (lowercased), or text
// with some need. Runs of exact pieces multiply out ("Z1[1235]0" is one of
// z110, z120, z130, z150), so that short literals and small classes still
// give usable literals.
struct Info {
    bool exact = false;
    std::set<std::string> strings; // exact: every string the piece may match
    LiteralNeed need;              // not exact
};

// Exact sets larger than this become needs (RE2 uses the same bound).
constexpr std::size_t max_exact_strings = 16;
// Character classes with more members than this match "some character".
constexpr std::size_t max_class_members = 4;

Info exact(std::set<std::string> strings) {
    return {true, std::move(strings), {}};
}

Info any_text() {
    return {};
}

class Reader {
  public:
    Reader(std::string_view pattern, std::size_t min_length)
        : m_pattern(pattern), m_min_length(min_length) {}

    LiteralNeed read() {
        Info info = alternation();
        if (m_given_up || m_pos != m_pattern.size()) {
            return nothing();
        }
        return need_of(std::move(info));
    }

  private:
    bool at_end() const { return m_pos >= m_pattern.size(); }

    char peek() const { return m_pattern[m_pos]; }

    void give_up() {
        m_given_up = true;
        m_pos = m_pattern.size();
    }

    // Moves past the next `close` at or after `from`; gives up without one.
    bool skip_past(std::string_view close, std::size_t from) {
        const std::size_t at = m_pattern.find(close, from);
        if (at == std::string_view::npos) {
            give_up();
            return false;
        }
        m_pos = at + close.size();
        return true;
    }

    // Some string of an exact set occurs in every match: one of them, unless
    // one is too short to be looked for. A string containing another one of
    // the set adds nothing to the OR.
    LiteralNeed need_of(Info info) const {
        if (!info.exact) {
            return std::move(info.need);
        }
        std::vector<LiteralNeed> literals;
        for (const std::string& text : info.strings) {
            if (text.size() < m_min_length) {
                return nothing();
            }
            const bool redundant = std::any_of(
                info.strings.begin(), info.strings.end(), [&](const std::string& other) {
                    return other.size() < text.size() && text.find(other) != std::string::npos;
                });
            if (!redundant) {
                literals.push_back({Kind::literal, text, {}});
            }
        }
        return any_of(std::move(literals));
    }

    Info both(Info a, Info b) const {
        std::vector<LiteralNeed> parts;
        parts.push_back(need_of(std::move(a)));
        parts.push_back(need_of(std::move(b)));
        Info out;
        out.need = all_of(std::move(parts));
        return out;
    }

    // alternation := concatenation ('|' concatenation)*
    Info alternation() {
        std::vector<Info> branches;
        branches.push_back(concatenation());
        while (!at_end() && peek() == '|') {
            ++m_pos;
            branches.push_back(concatenation());
        }
        if (branches.size() == 1) {
            return std::move(branches.front());
        }
        std::set<std::string> all;
        bool all_exact = true;
        for (const Info& branch : branches) {
            all_exact = all_exact && branch.exact;
            if (all_exact) {
                all.insert(branch.strings.begin(), branch.strings.end());
            }
        }
        if (all_exact && all.size() <= max_exact_strings) {
            return exact(std::move(all));
        }
        std::vector<LiteralNeed> needs;
        for (Info& branch : branches) {
            needs.push_back(need_of(std::move(branch)));
        }
        Info out;
        out.need = any_of(std::move(needs));
        return out;
    }

    // Items up to '|', ')' or the end: consecutive exact items multiply out
    // while the product stays small; the rest is the AND of the pieces' needs.
    Info concatenation() {
        Info run; // the exact items since the last inexact one
        bool in_run = false;
        Info done; // the AND of what came before the run
        bool any_done = false;
        const auto add = [&](Info piece) {
            done = any_done ? both(std::move(done), std::move(piece)) : std::move(piece);
            any_done = true;
        };
        while (!at_end() && peek() != '|' && peek() != ')') {
            Info item = repeated(next_item());
            if (m_given_up) {
                return any_text();
            }
            if (item.exact &&
                (!in_run || run.strings.size() * item.strings.size() <= max_exact_strings)) {
                run = in_run ? product(run, item) : std::move(item);
                in_run = true;
                continue;
            }
            if (in_run) {
                add(std::move(run));
                in_run = false;
            }
            if (item.exact) {
                run = std::move(item);
                in_run = true;
            } else {
                add(std::move(item));
            }
        }
        if (in_run) {
            add(std::move(run));
        }
        return any_done ? std::move(done) : exact({""});
    }

    static Info product(const Info& a, const Info& b) {
        std::set<std::string> strings;
        for (const std::string& x : a.strings) {
            for (const std::string& y : b.strings) {
                strings.insert(x + y);
            }
        }
        return exact(std::move(strings));
    }

    Info next_item() {
        const char c = m_pattern[m_pos++];
        switch (c) {
        case '(':
            return group();
        case '[':
            return character_class();
        case '\\':
            return escape();
        case '.':
            return any_text();
        case '^':
        case '$':
            return exact({""});
        case '*':
        case '+':
        case '?':
            give_up(); // a repetition of nothing: not RE2 syntax
            return any_text();
        default:
            if ((static_cast<unsigned char>(c) & 0x80) != 0) {
                // A non-ASCII character (not folded here): skip its
                // continuation bytes, so a repetition after it is read as one.
                while (!at_end() && (static_cast<unsigned char>(peek()) & 0xC0) == 0x80) {
                    ++m_pos;
                }
                return any_text();
            }
            return exact({std::string(1, ascii_lower(c))});
        }
    }

    // After '(': (…), (?:…), (?P<name>…), (?<name>…), (?flags:…) or (?flags).
    Info group() {
        if (!at_end() && peek() == '?') {
            ++m_pos;
            if (!at_end() && (peek() == 'P' || peek() == '<')) {
                if (!skip_past(">", m_pos)) {
                    return any_text();
                }
            } else {
                // Flags: case folding is covered by folding both sides; the
                // others do not change which literals a match contains.
                while (!at_end() && (peek() == 'i' || peek() == 'm' || peek() == 's' ||
                                     peek() == 'U' || peek() == '-')) {
                    ++m_pos;
                }
                if (!at_end() && peek() == ')') {
                    ++m_pos; // (?flags): no text of its own
                    return exact({""});
                }
                if (at_end() || peek() != ':') {
                    give_up();
                    return any_text();
                }
                ++m_pos;
            }
        }
        Info inner = alternation();
        if (at_end() || peek() != ')') {
            give_up();
            return any_text();
        }
        ++m_pos;
        return inner;
    }

    // After '[': its members when there are few, lowercased; a negated class,
    // a large one, \d and the like inside, or non-ASCII members: some character.
    Info character_class() {
        bool negated = false;
        if (!at_end() && peek() == '^') {
            negated = true;
            ++m_pos;
        }
        std::set<std::string> members;
        bool known = !negated;
        bool first = true;
        while (!at_end() && (peek() != ']' || first)) {
            first = false;
            int low = -1; // the member's byte; -1: not one known byte
            if (peek() == '\\') {
                ++m_pos;
                if (at_end()) {
                    break;
                }
                const char e = m_pattern[m_pos++];
                if (!is_alnum(e) && (static_cast<unsigned char>(e) & 0x80) == 0) {
                    low = static_cast<unsigned char>(e);
                } else if ((e == 'p' || e == 'P' || e == 'x') && !at_end() && peek() == '{' &&
                           !skip_past("}", m_pos)) {
                    return any_text();
                }
            } else if (m_pattern.compare(m_pos, 2, "[:") == 0) {
                if (!skip_past(":]", m_pos + 2)) {
                    return any_text();
                }
            } else {
                const char c = m_pattern[m_pos++];
                if ((static_cast<unsigned char>(c) & 0x80) == 0) {
                    low = static_cast<unsigned char>(c);
                }
            }
            if (low < 0) {
                known = false;
                continue;
            }
            int high = low;
            if (m_pos + 1 < m_pattern.size() && peek() == '-' && m_pattern[m_pos + 1] != ']') {
                ++m_pos;
                const char c = m_pattern[m_pos++];
                if (c == '\\' || (static_cast<unsigned char>(c) & 0x80) != 0) {
                    known = false; // an escaped or non-ASCII end: not followed
                    if (c == '\\' && !at_end()) {
                        ++m_pos;
                    }
                    continue;
                }
                high = static_cast<unsigned char>(c);
            }
            if (high - low >= static_cast<int>(max_class_members)) {
                known = false;
                continue;
            }
            for (int b = low; b <= high && known; ++b) {
                members.insert(std::string(1, ascii_lower(static_cast<char>(b))));
            }
        }
        if (at_end()) {
            give_up();
            return any_text();
        }
        ++m_pos; // ']'
        if (!known || members.empty() || members.size() > max_class_members) {
            return any_text();
        }
        return exact(std::move(members));
    }

    // After '\\': an escaped punctuation character is that character; \b,
    // \B, \A and \z match no text; \d, \s, \w, \pN, \p{…}, \x{…} and the like
    // are some character.
    Info escape() {
        if (at_end()) {
            give_up();
            return any_text();
        }
        const char c = m_pattern[m_pos++];
        if (!is_alnum(c)) {
            if ((static_cast<unsigned char>(c) & 0x80) != 0) {
                give_up();
                return any_text();
            }
            return exact({std::string(1, c)});
        }
        switch (c) {
        case 'b':
        case 'B':
        case 'A':
        case 'z':
            return exact({""});
        case 'd':
        case 'D':
        case 's':
        case 'S':
        case 'w':
        case 'W':
        case 'C':
        case 'n':
        case 'r':
        case 't':
        case 'f':
        case 'v':
        case 'a':
            return any_text();
        case 'p':
        case 'P':
        case 'x':
            if (!at_end() && peek() == '{') {
                skip_past("}", m_pos); // or gives up
            } else {
                m_pos += c == 'x' ? 2 : 1;
            }
            return any_text();
        default:
            give_up(); // \Q…\E, octal and others: not followed here
            return any_text();
        }
    }

    // An item with the repetition operator after it, if any (and its
    // non-greedy '?'): x? may be empty; x*, x{0,n} need nothing; x+ and
    // x{n,…} need what x needs, but are no longer exact.
    Info repeated(Info item) {
        if (at_end()) {
            return item;
        }
        const char c = peek();
        std::size_t min = 1, max = 1;
        if (c == '?') {
            min = 0;
            ++m_pos;
        } else if (c == '*') {
            min = 0;
            max = 2;
            ++m_pos;
        } else if (c == '+') {
            max = 2;
            ++m_pos;
        } else if (c == '{') {
            // {n}, {n,} or {n,m}; anything else is a literal '{' (RE2's rule).
            std::size_t pos = m_pos + 1;
            const std::size_t digits_at = pos;
            while (pos < m_pattern.size() && is_digit(m_pattern[pos])) {
                ++pos;
            }
            if (pos == digits_at) {
                return item;
            }
            min = std::stoul(std::string(m_pattern.substr(digits_at, pos - digits_at)));
            max = min;
            if (pos < m_pattern.size() && m_pattern[pos] == ',') {
                ++pos;
                const std::size_t max_at = pos;
                while (pos < m_pattern.size() && is_digit(m_pattern[pos])) {
                    ++pos;
                }
                max = pos == max_at
                          ? min + 2
                          : std::stoul(std::string(m_pattern.substr(max_at, pos - max_at)));
            }
            if (pos >= m_pattern.size() || m_pattern[pos] != '}' || max < min) {
                return item;
            }
            m_pos = pos + 1;
        } else {
            return item;
        }
        if (!at_end() && peek() == '?') {
            ++m_pos;
        }
        if (min == 1 && max == 1) {
            return item;
        }
        if (min == 0) {
            if (max == 1 && item.exact && item.strings.size() < max_exact_strings) {
                item.strings.insert("");
                return item;
            }
            return any_text();
        }
        Info out;
        out.need = need_of(std::move(item));
        return out;
    }

    std::string_view m_pattern;
    std::size_t m_min_length;
    std::size_t m_pos = 0;
    bool m_given_up = false;
};

std::uint32_t prefix_key(const char* bytes) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[0])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[2]));
}

} // namespace

LiteralNeed literal_need(std::string_view pattern, std::size_t min_length) {
    return Reader(pattern, min_length == 0 ? 1 : min_length).read();
}

std::string fold_for_literals(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\xE2' && text.compare(i, 3, "\xE2\x84\xAA") == 0) {
            out += 'k';
            i += 2;
        } else if (c == '\xC5' && text.compare(i, 2, "\xC5\xBF") == 0) {
            out += 's';
            i += 1;
        } else {
            out += ascii_lower(c);
        }
    }
    return out;
}

void LiteralNeeds::add(const LiteralNeed& need) {
    m_roots.push_back(node_of(need));
}

std::uint32_t LiteralNeeds::node_of(const LiteralNeed& need) {
    Node node{need.kind, 0, 0, 0};
    if (need.kind == Kind::literal) {
        if (need.literal.size() < 3) {
            node.kind = Kind::nothing; // shorter ones are not indexed
        } else {
            const auto [at, added] = m_literal_index.try_emplace(
                need.literal, static_cast<std::uint32_t>(m_literals.size()));
            if (added) {
                m_literals.push_back(need.literal);
                m_by_prefix[prefix_key(need.literal.data())].push_back(at->second);
            }
            node.literal = at->second;
        }
    } else if (need.kind == Kind::all || need.kind == Kind::any) {
        std::vector<std::uint32_t> parts;
        for (const LiteralNeed& part : need.parts) {
            parts.push_back(node_of(part));
        }
        node.first = static_cast<std::uint32_t>(m_parts.size());
        node.count = static_cast<std::uint32_t>(parts.size());
        m_parts.insert(m_parts.end(), parts.begin(), parts.end());
    }
    m_nodes.push_back(node);
    return static_cast<std::uint32_t>(m_nodes.size() - 1);
}

std::vector<bool> LiteralNeeds::present_in(std::string_view folded_text) const {
    std::vector<bool> present(m_literals.size(), false);
    if (folded_text.size() < 3) {
        return present;
    }
    for (std::size_t i = 0; i + 3 <= folded_text.size(); ++i) {
        const auto bucket = m_by_prefix.find(prefix_key(folded_text.data() + i));
        if (bucket == m_by_prefix.end()) {
            continue;
        }
        for (const std::uint32_t literal : bucket->second) {
            const std::string& text = m_literals[literal];
            if (!present[literal] && text.size() <= folded_text.size() - i &&
                std::memcmp(text.data() + 3, folded_text.data() + i + 3, text.size() - 3) == 0) {
                present[literal] = true;
            }
        }
    }
    return present;
}

bool LiteralNeeds::holds(std::size_t index, const std::vector<bool>& present) const {
    return holds_node(m_roots[index], present);
}

bool LiteralNeeds::holds_node(std::uint32_t index, const std::vector<bool>& present) const {
    const Node& node = m_nodes[index];
    switch (node.kind) {
    case Kind::nothing:
        return true;
    case Kind::literal:
        return present[node.literal];
    case Kind::all:
        for (std::uint32_t i = 0; i < node.count; ++i) {
            if (!holds_node(m_parts[node.first + i], present)) {
                return false;
            }
        }
        return true;
    case Kind::any:
        for (std::uint32_t i = 0; i < node.count; ++i) {
            if (holds_node(m_parts[node.first + i], present)) {
                return true;
            }
        }
        return false;
    }
    return true;
}

} // namespace analytics::enrich
