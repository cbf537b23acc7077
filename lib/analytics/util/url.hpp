#pragma once

// URL pieces: request targets, query strings, referrers.

#include <string>
#include <string_view>

namespace analytics {

struct UrlParts {
    std::string_view scheme;
    std::string_view host;     // netloc without user info and port, as written
    std::string_view netloc;   // host[:port], without user info
    std::string_view userinfo; // "user[:password]@" before netloc, '@' included; empty when none
    std::string_view path;
    std::string_view query;    // without '?'
    std::string_view fragment; // without '#'
};

// Splits an absolute URL (http://host/p?q#f), a scheme-relative one
// (//host/p) or an origin-form target (/p?q).
UrlParts split_url(std::string_view url) noexcept;

// Percent-decodes in into out (plus as space when asked). A malformed escape
// is kept as written. The result may be invalid UTF-8: callers repair it.
void percent_decode(std::string_view in, std::string& out, bool plus_as_space);

// The value of a hexadecimal digit; -1 for another character.
int hex_value(char c) noexcept;

// The byte the escape "%XY" at text[at] stands for; -1 when there is none.
int escaped_byte_at(std::string_view text, std::size_t at) noexcept;

// True when a raw query value may carry a key=value of its own: an '=' or
// its escape "%3D" (an address passed as a parameter: a proxy's url=).
bool may_hold_assignment(std::string_view raw_value) noexcept;

// Calls fn(raw_key, raw_value) for each '&'-separated pair, in order.
template <typename Fn>
void for_each_query_pair(std::string_view query, Fn&& fn) {
    std::size_t pos = 0;
    while (pos <= query.size()) {
        std::size_t end = query.find('&', pos);
        if (end == std::string_view::npos) {
            end = query.size();
        }
        const std::string_view pair = query.substr(pos, end - pos);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            if (eq == std::string_view::npos) {
                fn(pair, std::string_view{});
            } else {
                fn(pair.substr(0, eq), pair.substr(eq + 1));
            }
        }
        pos = end + 1;
    }
}

} // namespace analytics
