#pragma once

// Hand-written JSON text output for the hot path (one record per line).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace analytics {

// Appends s as a JSON string literal. Input must be valid UTF-8 (the reader
// repairs lines before parsing); control characters are escaped.
void append_json_string(std::string& out, std::string_view s);

// The escape of c (a '"', a '\\' or a control character) into out, which
// has json_escape_max bytes; returns its length.
inline constexpr std::size_t json_escape_max = 6;
std::size_t write_json_escape(char* out, unsigned char c) noexcept;

void append_int(std::string& out, std::int64_t value);

// Appends "key":"value" and "key":number (no separator).
void append_json_member(std::string& out, std::string_view key, std::string_view value);
void append_json_number(std::string& out, std::string_view key, std::int64_t value);

// The members of one JSON object, commas placed between them; the caller
// writes the braces.
class JsonMembers {
  public:
    explicit JsonMembers(std::string& out) : m_out(out) {}

    JsonMembers& text(std::string_view key, std::string_view value) {
        separate();
        append_json_member(m_out, key, value);
        return *this;
    }

    JsonMembers& number(std::string_view key, std::int64_t value) {
        separate();
        append_json_number(m_out, key, value);
        return *this;
    }

    // "key": followed by what the caller appends to the returned string.
    std::string& value(std::string_view key) {
        separate();
        append_json_string(m_out, key);
        m_out.push_back(':');
        return m_out;
    }

  private:
    void separate() {
        if (!m_first) {
            m_out.push_back(',');
        }
        m_first = false;
    }

    std::string& m_out;
    bool m_first = true;
};

} // namespace analytics
