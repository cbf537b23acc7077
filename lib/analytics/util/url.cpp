#include <analytics/util/byte_scan.hpp>
#include <analytics/util/url.hpp>

#include <cstring>

namespace analytics {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

namespace {

bool is_scheme_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '-' || c == '.';
}

} // namespace

UrlParts split_url(std::string_view url) noexcept {
    UrlParts parts;
    std::string_view rest = url;
    const std::size_t hash = rest.find('#');
    if (hash != std::string_view::npos) {
        parts.fragment = rest.substr(hash + 1);
        rest = rest.substr(0, hash);
    }
    const std::size_t question = rest.find('?');
    if (question != std::string_view::npos) {
        parts.query = rest.substr(question + 1);
        rest = rest.substr(0, question);
    }
    const std::size_t colon = rest.find(':');
    if (colon != std::string_view::npos && colon > 0 && rest.substr(colon, 3) == "://") {
        bool scheme_ok = true;
        for (std::size_t i = 0; i < colon; ++i) {
            scheme_ok = scheme_ok && is_scheme_char(rest[i]);
        }
        if (scheme_ok) {
            parts.scheme = rest.substr(0, colon);
            rest = rest.substr(colon + 1);
        }
    }
    if (rest.substr(0, 2) == "//") {
        rest = rest.substr(2);
        const std::size_t slash = rest.find('/');
        std::string_view authority = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
        const std::size_t at = authority.rfind('@');
        if (at != std::string_view::npos) {
            parts.userinfo = authority.substr(0, at + 1);
            authority = authority.substr(at + 1); // never keep user:password
        }
        parts.netloc = authority;
        std::string_view host = authority;
        if (!host.empty() && host.front() == '[') {
            const std::size_t close = host.find(']');
            host = close == std::string_view::npos ? host : host.substr(0, close + 1);
        } else {
            host = host.substr(0, host.find(':'));
        }
        parts.host = host;
    }
    parts.path = rest;
    return parts;
}

int escaped_byte_at(std::string_view text, std::size_t at) noexcept {
    if (at + 3 > text.size() || text[at] != '%') {
        return -1;
    }
    const int hi = hex_value(text[at + 1]);
    const int lo = hex_value(text[at + 2]);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

bool may_hold_assignment(std::string_view raw_value) noexcept {
    for (std::size_t i = find_either(raw_value, 0, '=', '%'); i < raw_value.size();
         i = find_either(raw_value, i + 1, '=', '%')) {
        if (raw_value[i] == '=' || escaped_byte_at(raw_value, i) == '=') {
            return true;
        }
    }
    return false;
}

void percent_decode(std::string_view in, std::string& out, bool plus_as_space) {
    // Decoded text is never longer: written in place, plain runs copied whole.
    out.resize(in.size());
    char* const begin = out.data();
    char* at = begin;
    const char plus = plus_as_space ? '+' : '%';
    for (std::size_t i = 0;;) {
        const std::size_t next = find_either(in, i, '%', plus);
        if (next > i) {
            std::memcpy(at, in.data() + i, next - i);
            at += next - i;
        }
        if (next == in.size()) {
            break;
        }
        const char c = in[next];
        i = next + 1;
        if (const int escaped = escaped_byte_at(in, next); escaped >= 0) {
            *at++ = static_cast<char>(escaped);
            i = next + 3;
            continue;
        }
        *at++ = c == '+' ? ' ' : c; // '+' only when plus_as_space
    }
    out.resize(static_cast<std::size_t>(at - begin));
}

} // namespace analytics
