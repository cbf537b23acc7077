#include <analytics/db/psql.hpp>
#include <analytics/util/conninfo_mask.hpp>
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
    std::string error;
    const auto parts = without_password(conninfo, error);
    if (!parts) {
        throw ConfigError("invalid database connection string: " + error);
    }
    if (!parts->password.empty()) {
        env.push_back("PGPASSWORD=" + parts->password);
    }
    std::vector<std::string> argv{psql, "--dbname",
                                  with_application_name(parts->rest, "analytics-psql")};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    exec_process(argv, env);
}

} // namespace analytics::db
