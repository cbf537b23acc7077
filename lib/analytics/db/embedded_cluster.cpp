#include <analytics/db/conninfo.hpp>
#include <analytics/db/embedded_cluster.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/log.hpp>

#include <pqxx/pqxx>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace analytics::db {

namespace {

constexpr const char* superuser = "analytics";
constexpr const char* database = "analytics";
constexpr const char* port = "5432";
// root's default home, apart from the service user's /var/lib/analytics.
constexpr const char* root_home = "/var/lib/analytics-root";

bool is_dir(const std::string& path) {
    struct stat st {};

    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_executable(const std::string& path) {
    return ::access(path.c_str(), X_OK) == 0;
}

std::string read_file(const std::string& path) {
    std::ifstream in{path};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void make_dirs(const std::string& path, mode_t mode) {
    std::string partial;
    std::stringstream parts{path};
    std::string part;
    if (!path.empty() && path[0] == '/') {
        partial = "/";
    }
    while (std::getline(parts, part, '/')) {
        if (part.empty()) {
            continue;
        }
        partial += part;
        if (::mkdir(partial.c_str(), mode) != 0 && errno != EEXIST) {
            const int err = errno;
            const std::string message =
                "cannot create directory " + partial + ": " + std::strerror(err) +
                " (the embedded database lives in ANALYTICS_HOME; give it a directory this "
                "user can write)";
            // Permissions are the administrator's to fix (77); a full disk is 73.
            if (err == EACCES || err == EPERM || err == EROFS) {
                throw PermissionDenied(message);
            }
            if (err == ENOSPC || err == EDQUOT) {
                throw OutputError(message);
            }
            throw DbUnavailable(message);
        }
        partial += '/';
    }
}

std::string last_lines(const std::string& text, std::size_t count) {
    std::size_t pos = text.size();
    while (pos > 0 && (text[pos - 1] == '\n')) {
        --pos;
    }
    std::size_t start = pos;
    for (std::size_t n = 0; start > 0 && n < count; --start) {
        if (text[start - 1] == '\n' && ++n == count) {
            break;
        }
    }
    return text.substr(start, pos - start);
}

// Highest installed major version under /usr/lib/postgresql (Debian layout).
std::string find_bin_dir(const config::EnvLookup& env) {
    if (auto explicit_dir = env("ANALYTICS_PG_BINDIR")) {
        return *explicit_dir;
    }
    std::string best;
    int best_version = -1;
    if (DIR* dir = ::opendir("/usr/lib/postgresql")) {
        while (const dirent* entry = ::readdir(dir)) {
            const std::string name = entry->d_name;
            if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) {
                continue;
            }
            const std::string bin = "/usr/lib/postgresql/" + name + "/bin";
            if (is_executable(bin + "/initdb") && is_executable(bin + "/pg_ctl") &&
                std::stoi(name) > best_version) {
                best_version = std::stoi(name);
                best = bin;
            }
        }
        ::closedir(dir);
    }
    if (!best.empty()) {
        return best;
    }
    if (auto path = env("PATH")) {
        std::stringstream dirs{*path};
        std::string d;
        while (std::getline(dirs, d, ':')) {
            if (!d.empty() && is_executable(d + "/initdb") && is_executable(d + "/pg_ctl")) {
                return d;
            }
        }
    }
    return {};
}

} // namespace

std::string EmbeddedCluster::default_home(const config::EnvLookup& env) {
    if (auto home = env("ANALYTICS_HOME")) {
        return *home;
    }
    if (::geteuid() == 0) {
        // The server runs as an unprivileged account that cannot enter /root;
        // /var/lib/analytics is the system user's (the package's service).
        return root_home;
    }
    if (auto xdg = env("XDG_DATA_HOME")) {
        return *xdg + "/analytics";
    }
    if (auto home = env("HOME")) {
        return *home + "/.local/share/analytics";
    }
    throw ConfigError("cannot locate the embedded database: neither ANALYTICS_HOME nor HOME "
                      "is set");
}

EmbeddedCluster EmbeddedCluster::from_env(const config::EnvLookup& env) {
    return EmbeddedCluster{default_home(env), env};
}

EmbeddedCluster::EmbeddedCluster(std::string home, const config::EnvLookup& env)
    : m_home(std::move(home)), m_env(env) {
    while (m_home.size() > 1 && m_home.back() == '/') {
        m_home.pop_back();
    }
    if (m_home.empty() || m_home[0] != '/') {
        char cwd[4096];
        if (::getcwd(cwd, sizeof cwd) != nullptr) {
            m_home = std::string{cwd} + (m_home.empty() ? "" : "/" + m_home);
        }
    }
    m_bin_dir = find_bin_dir(env);
    if (::geteuid() == 0) {
        const std::string account = env("ANALYTICS_PG_USER").value_or("postgres");
        m_run_as = find_user(account);
        if (!m_run_as) {
            throw DbUnavailable("running as root: the embedded PostgreSQL server must run as an "
                                "unprivileged user, and user '" +
                                account +
                                "' does not exist (install postgresql, or set "
                                "ANALYTICS_PG_USER)");
        }
    }
}

std::string EmbeddedCluster::bin_dir() const {
    if (m_bin_dir.empty()) {
        throw DbUnavailable("no database is configured and no PostgreSQL server is installed "
                            "for the embedded default (looked in /usr/lib/postgresql/*/bin and "
                            "PATH; install the 'postgresql' package, set ANALYTICS_PG_BINDIR, or "
                            "name a database with --db / ANALYTICS_DB)");
    }
    return m_bin_dir;
}

std::string EmbeddedCluster::conninfo() const {
    return "host=" + quote_conninfo_value(socket_dir()) + " port=" + port + " user=" + superuser +
           " dbname=" + database;
}

ProcessResult EmbeddedCluster::pg_ctl(const std::vector<std::string>& arguments) const {
    std::vector<std::string> argv{bin_dir() + "/pg_ctl"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return run_process(argv, m_run_as);
}

ClusterStatus EmbeddedCluster::status() const {
    ClusterStatus status;
    const std::string version_file = data_dir() + "/PG_VERSION";
    if (::access(version_file.c_str(), F_OK) != 0) {
        return status;
    }
    std::string version = read_file(version_file);
    version.erase(std::remove(version.begin(), version.end(), '\n'), version.end());
    status.server_version = version;
    status.state = ClusterState::stopped;
    const auto result = pg_ctl({"status", "-D", data_dir()});
    if (result.exit_code == 0) {
        status.state = ClusterState::running;
        const std::string pid_text = read_file(data_dir() + "/postmaster.pid");
        if (!pid_text.empty()) {
            try {
                status.pid = std::stol(pid_text);
            } catch (const std::exception&) {
            }
        }
    }
    return status;
}

void EmbeddedCluster::check_reachable_by_server() const {
    struct stat home {};

    if (::stat(m_home.c_str(), &home) == 0 && !S_ISDIR(home.st_mode)) {
        throw ConfigError("ANALYTICS_HOME " + m_home + " is not a directory");
    }
    if (!m_run_as) {
        return;
    }
    // The server account must be able to enter every directory above its data.
    std::string path;
    std::stringstream parts{m_home};
    std::string part;
    while (std::getline(parts, part, '/')) {
        if (part.empty()) {
            continue;
        }
        path += "/" + part;

        struct stat st {};

        if (::stat(path.c_str(), &st) != 0) {
            return; // created below with suitable permissions
        }
        const bool enter = (st.st_uid == m_run_as->uid && (st.st_mode & S_IXUSR)) ||
                           (st.st_gid == m_run_as->gid && (st.st_mode & S_IXGRP)) ||
                           (st.st_mode & S_IXOTH);
        if (!enter) {
            throw ConfigError("the embedded PostgreSQL server runs as user '" + m_run_as->name +
                              "', which cannot enter " + path +
                              "; set ANALYTICS_HOME to a directory it can reach (for example " +
                              std::string{root_home} + ") or allow it in (chmod o+x " + path + ")");
        }
    }
}

void EmbeddedCluster::initialize() {
    log::info("creating the embedded database cluster in " + data_dir());
    const std::string pg_dir = m_home + "/pg";
    make_dirs(pg_dir, 0700);
    make_dirs(socket_dir(), 0700);
    if (m_run_as) {
        for (const auto& dir : {pg_dir, socket_dir()}) {
            if (::chown(dir.c_str(), m_run_as->uid, m_run_as->gid) != 0) {
                throw DbUnavailable("cannot give " + dir + " to user " + m_run_as->name + ": " +
                                    std::strerror(errno));
            }
        }
    }
    // A half-made data directory from an interrupted initdb is removed first
    // (PG_VERSION is written last by initdb, so its absence means incomplete).
    if (is_dir(data_dir())) {
        const std::string tmp = data_dir() + ".incomplete." + std::to_string(::getpid());
        if (::rename(data_dir().c_str(), tmp.c_str()) != 0) {
            throw DbUnavailable("cannot move away incomplete " + data_dir());
        }
        run_process({"/bin/rm", "-rf", tmp});
    }
    const auto result =
        run_process({bin_dir() + "/initdb", "-D", data_dir(), "-U", superuser, "-E", "UTF8",
                     "--no-locale", "--auth-local=trust", "--auth-host=reject"},
                    m_run_as);
    if (result.exit_code != 0) {
        throw DbUnavailable("initdb failed for the embedded database:\n" +
                            last_lines(result.output, 15));
    }
    std::ofstream conf{data_dir() + "/postgresql.conf", std::ios::app};
    std::string quoted_socket_dir;
    for (char c : socket_dir()) {
        quoted_socket_dir += c;
        if (c == '\'') {
            quoted_socket_dir += '\'';
        }
    }
    conf << "\n# analytics embedded cluster: Unix socket only, inside its own directory\n"
         << "listen_addresses = ''\n"
         << "unix_socket_directories = '" << quoted_socket_dir << "'\n"
         << "unix_socket_permissions = 0700\n"
         << "port = " << port << "\n"
         << "timezone = 'UTC'\n";
    if (!conf) {
        throw DbUnavailable("cannot write " + data_dir() + "/postgresql.conf");
    }
}

void EmbeddedCluster::create_database() {
    const std::string admin = "host=" + quote_conninfo_value(socket_dir()) + " port=" + port +
                              " user=" + superuser +
                              " dbname=postgres fallback_application_name=analytics-db";
    try {
        pqxx::connection conn{admin};
        pqxx::nontransaction tx{conn};
        const auto exists =
            tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", database);
        if (exists.empty()) {
            tx.exec(std::string{"CREATE DATABASE "} + database);
        }
    } catch (const pqxx::sql_error& e) {
        // A concurrent creator won the race: fine.
        if (std::string{e.sqlstate()} != "42P04") {
            throw DbUnavailable(std::string{"cannot create the embedded database: "} + e.what());
        }
    } catch (const pqxx::broken_connection& e) {
        throw DbUnavailable(std::string{"cannot connect to the embedded server: "} + e.what());
    }
}

void EmbeddedCluster::start() {
    bin_dir(); // fail early with a clear message when PostgreSQL is missing
    check_reachable_by_server();
    const std::string socket_path = socket_dir() + "/.s.PGSQL." + port;
    if (socket_path.size() > 107) {
        throw ConfigError("ANALYTICS_HOME is too long for a Unix socket path (" + socket_path +
                          " has " + std::to_string(socket_path.size()) +
                          " bytes, the limit is 107); choose a shorter directory");
    }
    make_dirs(m_home, m_run_as ? 0711 : 0700);
    FileLock lock{m_home + "/pg.lock"};
    auto current = status();
    if (current.state == ClusterState::not_initialized) {
        initialize();
        current.state = ClusterState::stopped;
    }
    if (current.state != ClusterState::running) {
        log::info("starting the embedded database server");
        const auto result =
            pg_ctl({"start", "-w", "-t", "120", "-s", "-D", data_dir(), "-l", log_file()});
        if (result.exit_code != 0) {
            throw DbUnavailable("cannot start the embedded database server (log: " + log_file() +
                                "):\n" + last_lines(result.output + read_file(log_file()), 10));
        }
    }
    create_database();
}

bool EmbeddedCluster::stop() {
    if (status().state != ClusterState::running) {
        return false;
    }
    FileLock lock{m_home + "/pg.lock"};
    const auto result = pg_ctl({"stop", "-w", "-t", "120", "-s", "-m", "fast", "-D", data_dir()});
    if (result.exit_code != 0 && status().state == ClusterState::running) {
        throw DbUnavailable("cannot stop the embedded database server:\n" +
                            last_lines(result.output, 10));
    }
    return true;
}

} // namespace analytics::db
