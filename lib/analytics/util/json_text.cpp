#include <analytics/util/byte_scan.hpp>
#include <analytics/util/json_text.hpp>

#include <charconv>

namespace analytics {

void append_json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    std::size_t run_start = 0;
    for (std::size_t i = find_control_or(s, 0, '"', '\\'); i < s.size();
         i = find_control_or(s, i + 1, '"', '\\')) {
        const auto c = static_cast<unsigned char>(s[i]);
        out.append(s.data() + run_start, i - run_start);
        run_start = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default: {
            static constexpr char hex[] = "0123456789abcdef";
            const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
            out.append(escaped, sizeof escaped);
        }
        }
    }
    out.append(s.data() + run_start, s.size() - run_start);
    out.push_back('"');
}

void append_int(std::string& out, std::int64_t value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, static_cast<std::size_t>(result.ptr - buffer));
}

void append_json_member(std::string& out, std::string_view key, std::string_view value) {
    append_json_string(out, key);
    out += ':';
    append_json_string(out, value);
}

void append_json_number(std::string& out, std::string_view key, std::int64_t value) {
    append_json_string(out, key);
    out += ':';
    append_int(out, value);
}

} // namespace analytics
