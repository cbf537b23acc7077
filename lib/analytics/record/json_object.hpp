#pragma once

// A small ordered JSON object (request_details, context_data, properties):
// string, boolean, null, string-array and raw-JSON values, keys unique,
// insertion order kept. Linear lookup while small (a few dozen keys, the
// common case); a hash index past that, so that a hostile input with many
// keys costs linear time, not quadratic.

#include <cstddef>
#include <cstdint>
#include <memory>
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
    };

    // Walks the entries in order (they are held by pointer: see m_entries).
    template <typename Value, typename Slot>
    class Iterator {
      public:
        explicit Iterator(Slot* at) noexcept : m_at(at) {}

        Value& operator*() const noexcept { return **m_at; }

        Value* operator->() const noexcept { return m_at->get(); }

        Value& operator[](std::size_t i) const noexcept { return *m_at[i]; }

        Iterator& operator++() noexcept {
            ++m_at;
            return *this;
        }

        bool operator==(const Iterator& other) const noexcept { return m_at == other.m_at; }

        bool operator!=(const Iterator& other) const noexcept { return m_at != other.m_at; }

      private:
        Slot* m_at;
    };

    using iterator = Iterator<Entry, std::unique_ptr<Entry>>;
    using const_iterator = Iterator<const Entry, const std::unique_ptr<Entry>>;

    JsonObject() = default;
    // A moved-from object is empty (and usable).
    JsonObject(JsonObject&& other) noexcept;
    JsonObject& operator=(JsonObject&& other) noexcept;
    // Copies the entries, not the spare ones.
    JsonObject(const JsonObject& other);
    JsonObject& operator=(const JsonObject& other);
    ~JsonObject() = default;

    bool empty() const noexcept { return m_size == 0; }

    std::size_t size() const noexcept { return m_size; }

    void clear() noexcept {
        m_size = 0;
        m_key_bits = 0;
        drop_index();
    }

    // Keeps the first n entries.
    void truncate(std::size_t n) noexcept;

    // Inline: most lookups are for absent keys, answered by the key bits.
    const Entry* find(std::string_view key) const noexcept {
        return may_hold(key) ? find_present(key) : nullptr;
    }

    // The string value of key, or nullptr when absent or not a string.
    const std::string* find_string(std::string_view key) const noexcept {
        const Entry* entry = find(key);
        return entry != nullptr && entry->kind == Kind::string ? &entry->text : nullptr;
    }

    // The same, to change the value in place.
    std::string* find_string(std::string_view key) noexcept {
        return const_cast<std::string*>(std::as_const(*this).find_string(key));
    }

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
    const_iterator begin() const noexcept { return const_iterator(m_entries.data()); }

    const_iterator end() const noexcept { return const_iterator(m_entries.data() + m_size); }

    iterator begin() noexcept { return iterator(m_entries.data()); }

    iterator end() noexcept { return iterator(m_entries.data() + m_size); }

  private:
    // find past the key bits (the key may be present).
    const Entry* find_present(std::string_view key) const noexcept;
    // The position of key among the entries; size() when absent.
    std::size_t index_of(std::string_view key) const noexcept;
    std::size_t linear_index_of(std::string_view key) const noexcept;
    // Out of line, so that the common small lookup needs no stack frame.
    [[gnu::noinline]] std::size_t hashed_index_of(std::string_view key) const noexcept;
    Entry& slot(std::string_view key, Kind kind);
    Entry& append_entry(std::string_view key, Kind kind);
    // Moves entry i last, the others keeping their order (the index is stale).
    void rotate_to_end(std::size_t i) noexcept;

    const std::string& key_at(std::size_t i) const noexcept { return m_entries[i]->key; }

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

    // False when key is certainly absent.
    bool may_hold(std::string_view key) const noexcept { return (m_key_bits & key_bit(key)) != 0; }

    // Entries past m_size are spare, kept for their buffers. Held by pointer
    // so that moving an entry last (OGC layer and crs renames, erasing)
    // rotates pointers rather than swapping every later entry's strings.
    std::vector<std::unique_ptr<Entry>> m_entries;
    std::size_t m_size = 0;
    std::uint64_t m_key_bits = 0;
    // Key hash → position, for the first m_indexed entries; built on lookup
    // once the object has index_from entries, dropped when entries move.
    static constexpr std::size_t index_from = 32;
    mutable std::unordered_multimap<std::size_t, std::size_t> m_index;
    mutable std::size_t m_indexed = 0;
};

} // namespace analytics::record
