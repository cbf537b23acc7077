#include <analytics/db/conninfo.hpp>
#include <analytics/util/errors.hpp>

#include <re2/re2.h>

#include <cctype>

namespace analytics::db {

namespace {

// Keyword form from the old tool's database.host/port/database/username/password.
std::string from_parts(const config::Database& db) {
    std::string out;
    auto add = [&out](const char* key, const std::string& value) {
        if (value.empty()) {
            return;
        }
        if (!out.empty()) {
            out += ' ';
        }
        out += key;
        out += '=';
        out += quote_conninfo_value(value);
    };
    add("host", db.host);
    add("port", db.port);
    add("dbname", db.name);
    add("user", db.username);
    add("password", db.password);
    return out;
}

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

bool is_uri(const std::string& conninfo) {
    return conninfo.rfind("postgresql://", 0) == 0 || conninfo.rfind("postgres://", 0) == 0;
}

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

bool has_password(const std::string& conninfo) {
    if (is_uri(conninfo)) {
        return RE2::PartialMatch(conninfo, uri_password()) ||
               RE2::PartialMatch(conninfo, uri_query_password());
    }
    return RE2::PartialMatch(conninfo, keyword_password());
}

std::string mask_password(const std::string& conninfo) {
    if (is_uri(conninfo)) {
        return masked(masked(conninfo, uri_password(), "\\1:********@"), uri_query_password(),
                      "\\1********");
    }
    return masked(conninfo, keyword_password(), "\\1********");
}

namespace {

// conninfo with one more key=value, in its own form (a URI query parameter,
// or a keyword pair).
std::string with_parameter(const std::string& conninfo, const char* key, const std::string& value) {
    if (is_uri(conninfo)) {
        const char separator = conninfo.find('?') == std::string::npos ? '?' : '&';
        std::string encoded;
        for (unsigned char c : value) {
            if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
                encoded += static_cast<char>(c);
            } else {
                static const char hex[] = "0123456789ABCDEF";
                encoded += '%';
                encoded += hex[c >> 4];
                encoded += hex[c & 15];
            }
        }
        return conninfo + separator + key + "=" + encoded;
    }
    std::string out = conninfo;
    if (!out.empty()) {
        out += ' ';
    }
    return out + key + "=" + quote_conninfo_value(value);
}

} // namespace

std::string with_application_name(const std::string& conninfo, const std::string& name) {
    return with_parameter(conninfo, "fallback_application_name", name);
}

Target resolve_target(const std::string& cli_db, const config::Database& configured,
                      const config::EnvLookup& env) {
    if (!cli_db.empty()) {
        if (has_password(cli_db)) {
            throw UsageError("--db must not contain a password (it would be visible to every "
                             "user in the process list); put it in ~/.pgpass, a service file "
                             "(PGSERVICE) or ANALYTICS_DB");
        }
        return {TargetKind::external, cli_db, "--db"};
    }
    for (const char* variable : {"ANALYTICS_DB", "DATABASE_URL"}) {
        if (auto value = env(variable)) {
            return {TargetKind::external, *value, variable};
        }
    }
    if (!configured.url.empty()) {
        // database.password (typically ${ANALYTICS_DB_PASSWORD}) completes a
        // url without one, as the documented configuration expects.
        if (!configured.password.empty() && !has_password(configured.url)) {
            return {TargetKind::external,
                    with_parameter(configured.url, "password", configured.password),
                    "configuration file (database.url, database.password)"};
        }
        return {TargetKind::external, configured.url, "configuration file (database.url)"};
    }
    if (!configured.host.empty() || !configured.name.empty() || !configured.port.empty() ||
        !configured.username.empty()) {
        return {TargetKind::external, from_parts(configured), "configuration file (database.*)"};
    }
    for (const char* variable :
         {"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"}) {
        if (env(variable)) {
            return {TargetKind::external, "", std::string{"libpq environment ("} + variable + ")"};
        }
    }
    return {TargetKind::embedded, "", "embedded default"};
}

} // namespace analytics::db
