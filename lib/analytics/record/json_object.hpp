#pragma once

// A small ordered JSON object (request_details, context_data, properties):
// string, boolean, null, string-array and raw-JSON values, keys unique,
// insertion order kept. Linear lookup while small (a few dozen keys, the
// common case); a hash index past that, so that a hostile input with many
// keys costs linear time, not quadratic.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace analytics::record {

class JsonObject {
  public:
    enum class Kind { string, boolean, null, string_array, raw };

    struct Entry {
        std::string key;
        Kind kind = Kind::null;
        std::string text; // string value, or raw JSON text
        bool boolean = false;
        std::vector<std::string> array;

        // Member by member: std::swap's three moves cost twice as much.
        friend void swap(Entry& a, Entry& b) noexcept {
            a.key.swap(b.key);
            std::swap(a.kind, b.kind);
            a.text.swap(b.text);
            std::swap(a.boolean, b.boolean);
            a.array.swap(b.array);
        }
    };

    bool empty() const noexcept { return m_size == 0; }

    std::size_t size() const noexcept { return m_size; }

    void clear() noexcept {
        m_size = 0;
        m_key_bits = 0;
        drop_index();
    }

    // Keeps the first n entries.
    void truncate(std::size_t n) noexcept;

    const Entry* find(std::string_view key) const noexcept;
    // The string value of key, or nullptr when absent or not a string.
    const std::string* find_string(std::string_view key) const noexcept;
    // The same, to change the value in place.
    std::string* find_string(std::string_view key) noexcept;
    bool erase(std::string_view key) noexcept;
    // Moves the entry `from` (present) last, renamed `to`: what erasing it
    // and setting `to` to its value does, without copying the value (an
    // entry `to` elsewhere takes the value in its own place instead).
    void move_to_end(std::string_view from, std::string_view to);

    void set_string(std::string_view key, std::string_view value);
    // The entry the next append fills, not yet part of the object: a caller
    // decodes a key and a value straight into its buffers, then adds it with
    // append_spare() (its key must be absent) or leaves it spare.
    Entry& spare();
    void append_spare(Kind kind);
    void set_bool(std::string_view key, bool value);
    void set_null(std::string_view key);
    void set_raw(std::string_view key, std::string_view json);
    std::vector<std::string>& set_array(std::string_view key);

    // Iteration may change values, never keys (the index hashes them).
    const Entry* begin() const noexcept { return m_entries.data(); }

    const Entry* end() const noexcept { return m_entries.data() + m_size; }

    Entry* begin() noexcept { return m_entries.data(); }

    Entry* end() noexcept { return m_entries.data() + m_size; }

  private:
    // The position of key among the entries; size() when absent.
    std::size_t index_of(std::string_view key) const noexcept;
    Entry& slot(std::string_view key, Kind kind);
    Entry& append_entry(std::string_view key, Kind kind);
    // Moves entry i last, the others keeping their order (the index is stale).
    void rotate_to_end(std::size_t i) noexcept;
    // Removes entry i, keeping the order of the others.
    void remove_at(std::size_t i) noexcept;

    void drop_index() const noexcept;

    // One bit per (length, first byte) of every key added since the last
    // clear(): most lookups are for keys a request does not have (the OGC
    // classification asks for a dozen parameters), and a clear bit answers
    // them without a scan. An erased key keeps its bit: set means "maybe".
    static std::uint64_t key_bit(std::string_view key) noexcept {
        const unsigned first = key.empty() ? 0 : static_cast<unsigned char>(key[0]);
        return std::uint64_t{1} << ((key.size() * 7 + first) & 63);
    }

    // Entries past m_size are spare, kept for their buffers.
    std::vector<Entry> m_entries;
    std::size_t m_size = 0;
    std::uint64_t m_key_bits = 0;
    // Key hash → position, for the first m_indexed entries; built on lookup
    // once the object has index_from entries, dropped when entries move.
    static constexpr std::size_t index_from = 32;
    mutable std::unordered_multimap<std::size_t, std::size_t> m_index;
    mutable std::size_t m_indexed = 0;
};

} // namespace analytics::record
