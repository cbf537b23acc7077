#include <analytics/parse/json_line.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace analytics::parse {

namespace {

bool is_number_char(char c) noexcept {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Whether simdjson holds the number token as written: an integer within
// int64 or uint64, or a finite double.
bool representable(std::string_view token) {
    const bool integral = token.find_first_of(".eE") == std::string_view::npos;
    if (integral) {
        const char* first = token.data();
        const char* last = token.data() + token.size();
        if (token.front() == '-') {
            std::int64_t value = 0;
            return std::from_chars(first, last, value).ec == std::errc{};
        }
        std::uint64_t value = 0;
        return std::from_chars(first, last, value).ec == std::errc{};
    }
    const std::string copy(token);
    errno = 0;
    const double value = std::strtod(copy.c_str(), nullptr);
    return std::isfinite(value) && errno != ERANGE;
}

} // namespace

bool quote_unrepresentable_numbers(std::string_view json, std::string& out) {
    out.clear();
    out.reserve(json.size() + 16);
    bool changed = false;
    bool in_string = false;
    for (std::size_t i = 0; i < json.size();) {
        const char c = json[i];
        if (in_string) {
            out += c;
            if (c == '\\' && i + 1 < json.size()) {
                out += json[i + 1];
                i += 2;
                continue;
            }
            in_string = c != '"';
            ++i;
            continue;
        }
        if (c == '"') {
            in_string = true;
            out += c;
            ++i;
            continue;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            std::size_t end = i + 1;
            while (end < json.size() && is_number_char(json[end])) {
                ++end;
            }
            const std::string_view token = json.substr(i, end - i);
            if (representable(token)) {
                out += token;
            } else {
                out += '"';
                out += token;
                out += '"';
                changed = true;
            }
            i = end;
            continue;
        }
        out += c;
        ++i;
    }
    return changed;
}

std::string_view JsonLine::load(std::string_view text) {
    if (m_buffer.size() < text.size() + simdjson::SIMDJSON_PADDING) {
        m_buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);
    }
    std::copy(text.begin(), text.end(), m_buffer.begin());
    std::fill_n(m_buffer.begin() + static_cast<std::ptrdiff_t>(text.size()),
                simdjson::SIMDJSON_PADDING, '\0');
    return {m_buffer.data(), text.size()};
}

bool JsonLine::parse(simdjson::dom::parser& parser, std::string_view line,
                     simdjson::dom::element& root, std::string& reason) {
    std::string_view json = load(line);
    auto error = parser.parse(json.data(), json.size(), false).get(root);
    if ((error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE) &&
        quote_unrepresentable_numbers(line, m_requoted)) {
        json = load(m_requoted);
        error = parser.parse(json.data(), json.size(), false).get(root);
    }
    if (error) {
        reason = std::string("invalid JSON: ") + simdjson::error_message(error);
        return false;
    }
    return true;
}

} // namespace analytics::parse
