#include <analytics/util/conninfo_mask.hpp>

#include <re2/re2.h>

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

} // namespace

bool is_conninfo_uri(const std::string& conninfo) {
    return conninfo.rfind("postgresql://", 0) == 0 || conninfo.rfind("postgres://", 0) == 0;
}

bool has_password(const std::string& conninfo) {
    if (is_conninfo_uri(conninfo)) {
        return RE2::PartialMatch(conninfo, uri_password()) ||
               RE2::PartialMatch(conninfo, uri_query_password());
    }
    return RE2::PartialMatch(conninfo, keyword_password());
}

std::string mask_password(const std::string& conninfo) {
    if (is_conninfo_uri(conninfo)) {
        return masked(masked(conninfo, uri_password(), "\\1:********@"), uri_query_password(),
                      "\\1********");
    }
    return masked(conninfo, keyword_password(), "\\1********");
}

} // namespace analytics
