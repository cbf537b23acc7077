#include <analytics/db/psql.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/process.hpp>

#include <libpq-fe.h>
#include <unistd.h>

namespace analytics::db {

namespace {

// PGOPTIONS values escape spaces and backslashes with a backslash.
std::string pgoptions_escape(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == ' ' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

// Splits the password out of a conninfo string or URI.
std::pair<std::string, std::string> without_password(const std::string& conninfo) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
    if (options == nullptr) {
        std::string message = error != nullptr ? error : "invalid connection string";
        PQfreemem(error);
        throw ConfigError("invalid database connection string: " + message);
    }
    std::string rest;
    std::string password;
    for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
        if (o->val == nullptr) {
            continue;
        }
        if (std::string{o->keyword} == "password") {
            password = o->val;
            continue;
        }
        if (!rest.empty()) {
            rest += ' ';
        }
        rest += std::string{o->keyword} + "=" + quote_conninfo_value(o->val);
    }
    PQconninfoFree(options);
    return {rest, password};
}

} // namespace

void exec_psql(const OpenOptions& options, const std::vector<std::string>& arguments) {
    const auto& config = *options.config;
    const Endpoint endpoint = reach_target(options);
    const std::string& conninfo = endpoint.conninfo;
    std::string psql = "psql";
    if (!endpoint.bin_dir.empty() && ::access((endpoint.bin_dir + "/psql").c_str(), X_OK) == 0) {
        psql = endpoint.bin_dir + "/psql";
    }
    std::vector<std::string> env{
        "PGOPTIONS=-c search_path=" + pgoptions_escape(config.database.schema) +
        " -c TimeZone=" + pgoptions_escape(config.timezone)};
    auto [rest, password] = without_password(conninfo);
    if (!password.empty()) {
        env.push_back("PGPASSWORD=" + password);
    }
    std::vector<std::string> argv{psql, "--dbname", with_application_name(rest, "analytics-psql")};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    exec_process(argv, env);
}

} // namespace analytics::db
