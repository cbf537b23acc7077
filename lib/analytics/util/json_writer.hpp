#pragma once

// JSON text written through a raw cursor into a scratch buffer, then appended
// to its destination in one piece. Room is checked inline, once per piece: a
// record has about a hundred pieces, and std::string's out-of-line append per
// piece was a quarter of `ingest --output`.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace analytics {

class JsonWriter {
  public:
    // Writes into scratch (its size is the room; it grows as needed and is
    // kept for the next writer). One writer at a time per scratch.
    explicit JsonWriter(std::string& scratch);

    JsonWriter(const JsonWriter&) = delete;
    JsonWriter& operator=(const JsonWriter&) = delete;

    void put(char c) {
        room(1);
        *m_at++ = c;
    }

    void put(std::string_view s) {
        room(s.size());
        std::memcpy(m_at, s.data(), s.size());
        m_at += s.size();
    }

    // s as a JSON string literal (valid UTF-8 in, controls escaped).
    void string(std::string_view s);
    void integer(std::int64_t value);

    // At least n bytes free at the returned cursor; advance(k) after writing k.
    char* room(std::size_t n) {
        if (static_cast<std::size_t>(m_end - m_at) < n) {
            grow(n);
        }
        return m_at;
    }

    void advance(std::size_t n) noexcept { m_at += n; }

    void append_to(std::string& out) const {
        out.append(m_begin, static_cast<std::size_t>(m_at - m_begin));
    }

  private:
    void grow(std::size_t n);

    std::string& m_scratch;
    char* m_begin;
    char* m_at;
    char* m_end;
};

} // namespace analytics
