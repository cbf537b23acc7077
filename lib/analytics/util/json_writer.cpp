#include <analytics/util/byte_scan.hpp>
#include <analytics/util/json_text.hpp>
#include <analytics/util/json_writer.hpp>

#include <algorithm>
#include <charconv>

namespace analytics {

JsonWriter::JsonWriter(std::string& scratch) : m_scratch(scratch) {
    if (m_scratch.size() < 4096) {
        m_scratch.resize(4096);
    }
    m_begin = m_scratch.data();
    m_at = m_begin;
    m_end = m_begin + m_scratch.size();
}

void JsonWriter::grow(std::size_t n) {
    const auto used = static_cast<std::size_t>(m_at - m_begin);
    m_scratch.resize(std::max(m_scratch.size() * 2, used + n));
    m_begin = m_scratch.data();
    m_at = m_begin + used;
    m_end = m_begin + m_scratch.size();
}

void JsonWriter::string(std::string_view s) {
    const char* from = s.data();
    std::size_t left = s.size();
    char* at = room(left + 2); // the common case, nothing to escape, in one check
    *at++ = '"';
    for (;;) {
        const std::size_t plain = copy_until_control_or(from, left, at, '"', '\\');
        at += plain;
        if (plain == left) {
            break;
        }
        const auto c = static_cast<unsigned char>(from[plain]);
        from += plain + 1;
        left -= plain + 1;
        m_at = at;
        at = room(json_escape_max + left + 1);
        at += write_json_escape(at, c);
    }
    *at++ = '"';
    m_at = at;
}

void JsonWriter::integer(std::int64_t value) {
    char* at = room(24);
    advance(static_cast<std::size_t>(std::to_chars(at, at + 24, value).ptr - at));
}

} // namespace analytics
