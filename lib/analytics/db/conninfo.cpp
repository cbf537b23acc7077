#include <analytics/db/conninfo.hpp>
#include <analytics/util/conninfo_mask.hpp>
#include <analytics/util/errors.hpp>

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

} // namespace

namespace {

// conninfo with one more key=value, in its own form (a URI query parameter,
// or a keyword pair).
std::string with_parameter(const std::string& conninfo, const char* key, const std::string& value) {
    if (is_conninfo_uri(conninfo)) {
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
