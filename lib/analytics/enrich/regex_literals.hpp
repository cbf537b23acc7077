#pragma once

// What an RE2 pattern needs in a text before it can match, read from the
// pattern's text alone (no compile): the literal strings that every match
// contains, as an AND/OR formula. uap-core's parser uses it to leave most of
// its 1,162 regexes uncompiled and untried for a given user agent.
//
// It errs one way only: a construct it does not follow requires nothing, so
// a text without the literals surely does not match, while a text with them
// may. Literals are lowercased ASCII, to be found in a text folded by
// fold_for_literals, so that case-insensitive patterns are filtered soundly.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace analytics::enrich {

struct LiteralNeed {
    enum class Kind {
        nothing, // any text may match
        literal, // `literal` occurs in the folded text
        all,     // every part holds
        any,     // some part holds
    };
    Kind kind = Kind::nothing;
    std::string literal;
    std::vector<LiteralNeed> parts;
};

// The need of an RE2 pattern; literals shorter than min_length (which match
// too many texts to filter anything) are left out. Meant for patterns RE2
// accepts: any other gives Kind::nothing or a need of no use, never a throw.
LiteralNeed literal_need(std::string_view pattern, std::size_t min_length = 3);

// The text as the literals are matched against: ASCII lowercased, and the two
// non-ASCII characters that case-fold to ASCII letters (KELVIN SIGN, LONG S)
// replaced by them, so no case-insensitive pattern is filtered out wrongly.
std::string fold_for_literals(std::string_view text);

// Many needs over one set of literals: which literals occur in a folded text
// (one pass, a hash of each position's first three bytes), then which needs
// hold. Literals must be at least three bytes long, as literal_need gives
// them with its default min_length.
class LiteralNeeds {
  public:
    // Adds a need; its index is the number of needs added before it.
    void add(const LiteralNeed& need);

    std::size_t size() const noexcept { return m_roots.size(); }

    // The literals of 'folded_text', for holds().
    std::vector<bool> present_in(std::string_view folded_text) const;

    // Whether need 'index' holds, given the literals present.
    bool holds(std::size_t index, const std::vector<bool>& present) const;

  private:
    struct Node {
        LiteralNeed::Kind kind;
        std::uint32_t literal;      // Kind::literal: index in m_literals
        std::uint32_t first, count; // all, any: their parts, m_parts[first, first + count)
    };

    std::uint32_t node_of(const LiteralNeed& need);
    bool holds_node(std::uint32_t node, const std::vector<bool>& present) const;

    std::vector<Node> m_nodes;
    std::vector<std::uint32_t> m_parts; // node indexes
    std::vector<std::uint32_t> m_roots; // node of each need
    std::vector<std::string> m_literals;
    std::unordered_map<std::string, std::uint32_t> m_literal_index;
    // Literals by their first three bytes.
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> m_by_prefix;
};

} // namespace analytics::enrich
