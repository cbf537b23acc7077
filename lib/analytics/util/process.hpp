#pragma once

// Running helper programs (initdb, pg_ctl, psql) without a shell.

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace analytics {

// An unprivileged account to run a program as (used when we are root).
struct RunAs {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
};

// Looks up a user account; std::nullopt if it does not exist.
std::optional<RunAs> find_user(const std::string& name);

struct ProcessResult {
    int exit_code = -1; // -1 when killed by a signal
    std::string output; // stdout and stderr, interleaved
};

// Runs argv[0] (a path) with the arguments, waits, and returns its output.
// The child gets a new session, so a Ctrl-C meant for us does not reach a
// server it starts. Throws std::system_error if it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::optional<RunAs>& run_as = std::nullopt);

// Replaces the current process with argv (PATH is searched for argv[0]).
// 'set_env' entries are NAME=VALUE. Returns only on failure (throws).
[[noreturn]] void exec_process(const std::vector<std::string>& argv,
                               const std::vector<std::string>& set_env);

// An exclusive advisory lock on a file, held until destruction.
class FileLock {
  public:
    explicit FileLock(const std::string& path);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

  private:
    int m_fd = -1;
};

} // namespace analytics
