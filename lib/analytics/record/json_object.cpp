#include <analytics/record/json_object.hpp>
#include <analytics/util/text.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <utility>

namespace analytics::record {

namespace {

// Two loads of Word covering [0, n) from each side (sizeof(Word) <= n <= 2
// sizeof(Word)), compared at once: no memcmp call for a short key.
template <typename Word>
inline bool same_words(const char* a, const char* b, std::size_t n) noexcept {
    Word a1;
    Word a2;
    Word b1;
    Word b2;
    std::memcpy(&a1, a, sizeof(Word));
    std::memcpy(&b1, b, sizeof(Word));
    std::memcpy(&a2, a + n - sizeof(Word), sizeof(Word));
    std::memcpy(&b2, b + n - sizeof(Word), sizeof(Word));
    return ((a1 ^ b1) | (a2 ^ b2)) == 0;
}

// Keys are short and mostly differ in length or first byte: test those
// first, then compare in words.
inline bool same_key(const std::string& a, std::string_view b) noexcept {
    const std::size_t n = b.size();
    if (a.size() != n || (n != 0 && a[0] != b[0])) {
        return false;
    }
    if (n >= 8) {
        return n <= 16 ? same_words<std::uint64_t>(a.data(), b.data(), n)
                       : std::memcmp(a.data(), b.data(), n) == 0;
    }
    if (n >= 4) {
        return same_words<std::uint32_t>(a.data(), b.data(), n);
    }
    return n < 2 || (a[1] == b[1] && (n < 3 || a[2] == b[2]));
}

} // namespace

std::size_t JsonObject::linear_index_of(std::string_view key) const noexcept {
    std::size_t i = 0;
    while (i < m_size && !same_key(key_at(i), key)) {
        ++i;
    }
    return i;
}

std::size_t JsonObject::index_of(std::string_view key) const noexcept {
    if (!may_hold(key)) {
        return m_size;
    }
    return m_size < index_from ? linear_index_of(key) : hashed_index_of(key);
}

std::size_t JsonObject::hashed_index_of(std::string_view key) const noexcept {
    const std::hash<std::string_view> hash;
    try {
        for (; m_indexed < m_size; ++m_indexed) {
            m_index.emplace(hash(key_at(m_indexed)), m_indexed);
        }
    } catch (...) {
        // Out of memory for the index: fall back to a linear search.
        drop_index();
        return linear_index_of(key);
    }
    const auto [first, last] = m_index.equal_range(hash(key));
    for (auto it = first; it != last; ++it) {
        if (same_key(key_at(it->second), key)) {
            return it->second;
        }
    }
    return m_size;
}

void JsonObject::drop_index() const noexcept {
    if (m_indexed != 0) {
        m_index.clear();
        m_indexed = 0;
    }
}

void JsonObject::truncate(std::size_t n) noexcept {
    if (n < m_size) {
        m_size = n;
        drop_index();
    }
}

JsonObject::JsonObject(const JsonObject& other)
    : m_size(other.m_size), m_key_bits(other.m_key_bits) {
    m_entries.reserve(other.m_size);
    for (std::size_t i = 0; i < other.m_size; ++i) {
        m_entries.push_back(std::make_unique<Entry>(*other.m_entries[i]));
    }
}

JsonObject::JsonObject(JsonObject&& other) noexcept
    : m_entries(std::move(other.m_entries)), m_size(std::exchange(other.m_size, 0)),
      m_key_bits(std::exchange(other.m_key_bits, 0)) {
    other.drop_index(); // this object builds its own on lookup
}

JsonObject& JsonObject::operator=(JsonObject&& other) noexcept {
    if (this != &other) {
        m_entries = std::move(other.m_entries);
        m_size = std::exchange(other.m_size, 0);
        m_key_bits = std::exchange(other.m_key_bits, 0);
        drop_index();
        other.m_entries.clear();
        other.drop_index();
    }
    return *this;
}

JsonObject& JsonObject::operator=(const JsonObject& other) {
    if (this != &other) {
        JsonObject copy(other);
        *this = std::move(copy);
    }
    return *this;
}

const JsonObject::Entry* JsonObject::find_present(std::string_view key) const noexcept {
    const std::size_t i = index_of(key);
    return i < m_size ? m_entries[i].get() : nullptr;
}

void JsonObject::move_to_end(std::string_view from, std::string_view to) {
    const std::size_t i = index_of(from);
    if (i == m_size) {
        return;
    }
    if (from != to) {
        if (const std::size_t j = index_of(to); j < m_size) {
            m_entries[j].swap(m_entries[i]);           // the value into to's place...
            m_entries[i]->key.swap(m_entries[j]->key); // ...under its own key
            remove_at(i);
            return;
        }
    }
    rotate_to_end(i);
    if (from != to) {
        assign_text(m_entries[m_size - 1]->key, to);
        m_key_bits |= key_bit(to);
    }
    drop_index();
}

bool JsonObject::erase(std::string_view key) noexcept {
    const std::size_t i = index_of(key);
    if (i == m_size) {
        return false;
    }
    remove_at(i);
    return true;
}

void JsonObject::rotate_to_end(std::size_t i) noexcept {
    std::rotate(m_entries.begin() + static_cast<std::ptrdiff_t>(i),
                m_entries.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                m_entries.begin() + static_cast<std::ptrdiff_t>(m_size));
}

void JsonObject::remove_at(std::size_t i) noexcept {
    rotate_to_end(i); // into the spare area, the others keeping their order
    --m_size;
    drop_index();
}

JsonObject::Entry& JsonObject::slot(std::string_view key, Kind kind) {
    if (const std::size_t i = index_of(key); i < m_size) {
        m_entries[i]->kind = kind;
        return *m_entries[i];
    }
    return append_entry(key, kind);
}

JsonObject::Entry& JsonObject::spare() {
    if (m_size == m_entries.size()) {
        m_entries.push_back(std::make_unique<Entry>());
    }
    return *m_entries[m_size];
}

void JsonObject::append_spare(Kind kind) {
    Entry& entry = *m_entries[m_size++];
    m_key_bits |= key_bit(entry.key);
    entry.kind = kind;
}

JsonObject::Entry& JsonObject::append_entry(std::string_view key, Kind kind) {
    assign_text(spare().key, key);
    append_spare(kind);
    return *m_entries[m_size - 1];
}

void JsonObject::set_string(std::string_view key, std::string_view value) {
    assign_text(slot(key, Kind::string).text, value);
}

void JsonObject::set_bool(std::string_view key, bool value) {
    slot(key, Kind::boolean).boolean = value;
}

void JsonObject::set_null(std::string_view key) {
    slot(key, Kind::null);
}

void JsonObject::set_raw(std::string_view key, std::string_view json) {
    slot(key, Kind::raw).text.assign(json.data(), json.size());
}

std::vector<std::string>& JsonObject::set_array(std::string_view key) {
    Entry& entry = slot(key, Kind::string_array);
    entry.array.clear();
    return entry.array;
}

} // namespace analytics::record
