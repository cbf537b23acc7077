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
    room(s.size() + 2); // the common case, nothing to escape, in one check
    *m_at++ = '"';
    std::size_t run_start = 0;
    for (std::size_t i = find_control_or(s, 0, '"', '\\'); i < s.size();
         i = find_control_or(s, i + 1, '"', '\\')) {
        put(s.substr(run_start, i - run_start));
        run_start = i + 1;
        advance(write_json_escape(room(json_escape_max), static_cast<unsigned char>(s[i])));
    }
    put(s.substr(run_start));
    put('"');
}

void JsonWriter::integer(std::int64_t value) {
    char* at = room(24);
    advance(static_cast<std::size_t>(std::to_chars(at, at + 24, value).ptr - at));
}

} // namespace analytics
