#include <analytics/util/json_text.hpp>
#include <analytics/util/json_writer.hpp>

#include <charconv>
#include <cstring>

namespace analytics {

std::size_t write_json_escape(char* out, unsigned char c) noexcept {
    // The two-character escapes, as pairs of (byte, letter after '\\').
    static constexpr std::string_view short_forms = "\"\"\\\\\nn\rr\tt";
    out[0] = '\\';
    for (std::size_t i = 0; i < short_forms.size(); i += 2) {
        if (static_cast<unsigned char>(short_forms[i]) == c) {
            out[1] = short_forms[i + 1];
            return 2;
        }
    }
    static constexpr char hex[] = "0123456789abcdef";
    const char escaped[] = {'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
    std::memcpy(out + 1, escaped, sizeof escaped);
    return 1 + sizeof escaped;
}

void append_json_string(std::string& out, std::string_view s) {
    // JsonWriter's loop, the one escaper of JSON strings.
    thread_local std::string scratch;
    JsonWriter w(scratch);
    w.string(s);
    w.append_to(out);
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
