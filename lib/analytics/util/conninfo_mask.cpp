#include <analytics/util/conninfo_mask.hpp>

#include <re2/re2.h>

#include <libpq-fe.h>
#include <memory>

namespace analytics {

namespace {

// RE2 (linear time, no recursion) rather than std::regex: the text is a
// user-supplied connection string.
const RE2& keyword_password() {
    // password = value | password='quoted \' value'
    static const RE2 re{R"((?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]+))"};
    return re;
}

const RE2& uri_password() {
    static const RE2 re{R"(^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@?#]*):([^@/?#]*)@)"};
    return re;
}

const RE2& uri_query_password() {
    static const RE2 re{R"((?i)([?&]password=)([^&#]*))"};
    return re;
}

// Every match of re in text, its first group kept and the rest masked.
std::string masked(std::string text, const RE2& re, const char* replacement) {
    RE2::GlobalReplace(&text, re, replacement);
    return text;
}

// The options libpq itself reads from conninfo (null when it cannot parse
// it): what a connection would use, whatever the spelling (a percent-encoded
// URI key such as pass%77ord included).
using Options = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

Options parsed(const std::string& conninfo) {
    return Options(PQconninfoParse(conninfo.c_str(), nullptr), &PQconninfoFree);
}

const char* password_of(const Options& options) {
    for (const PQconninfoOption* o = options.get(); o != nullptr && o->keyword != nullptr; ++o) {
        if (std::string_view(o->keyword) == "password" && o->val != nullptr && *o->val != '\0') {
            return o->val;
        }
    }
    return nullptr;
}

// Keyword form of every option libpq read; the password written as
// password_as, or left out when password_as is null.
std::string keyword_form(const Options& options, const char* password_as) {
    std::string out;
    for (const PQconninfoOption* o = options.get(); o != nullptr && o->keyword != nullptr; ++o) {
        if (o->val == nullptr) {
            continue;
        }
        const std::string keyword(o->keyword);
        const bool password = keyword == "password";
        if (password && password_as == nullptr) {
            continue;
        }
        out += (out.empty() ? "" : " ") + keyword + "=" +
               quote_conninfo_value(password ? password_as : o->val);
    }
    return out;
}

} // namespace

std::string quote_conninfo_value(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    out += '\'';
    return out;
}

bool is_conninfo_uri(const std::string& conninfo) {
    return conninfo.rfind("postgresql://", 0) == 0 || conninfo.rfind("postgres://", 0) == 0;
}

bool has_password(const std::string& conninfo) {
    if (const Options options = parsed(conninfo)) {
        return password_of(options) != nullptr;
    }
    if (is_conninfo_uri(conninfo)) {
        return RE2::PartialMatch(conninfo, uri_password()) ||
               RE2::PartialMatch(conninfo, uri_query_password());
    }
    return RE2::PartialMatch(conninfo, keyword_password());
}

std::string mask_password(const std::string& conninfo) {
    // The string as written, its password masked where the patterns find it;
    // if libpq still reads a password from that (an unusual spelling), the
    // options libpq reads, rebuilt with the password masked.
    const std::string text = is_conninfo_uri(conninfo)
                                 ? masked(masked(conninfo, uri_password(), "\\1:********@"),
                                          uri_query_password(), "\\1********")
                                 : masked(conninfo, keyword_password(), "\\1********");
    const Options options = parsed(text);
    const char* left = options ? password_of(options) : nullptr;
    if (left == nullptr || std::string_view(left) == "********") {
        return text;
    }
    return keyword_form(options, "********");
}

std::optional<ConninfoWithoutPassword> without_password(const std::string& conninfo,
                                                        std::string& error) {
    char* message = nullptr;
    const Options options(PQconninfoParse(conninfo.c_str(), &message), &PQconninfoFree);
    if (!options) {
        error = message != nullptr ? message : "invalid connection string";
        PQfreemem(message);
        return std::nullopt;
    }
    const char* password = password_of(options);
    return ConninfoWithoutPassword{keyword_form(options, nullptr), password ? password : ""};
}

std::string mask_url_password(const std::string& url) {
    return masked(url, uri_password(), "\\1:********@");
}

} // namespace analytics
