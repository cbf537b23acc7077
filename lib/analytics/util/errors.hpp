#pragma once

// Typed errors thrown by the core library. Each type carries the process exit
// status it stands for (SPEC §6); the executable maps them in one place.

#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace analytics {

// Process exit statuses (SPEC §6; sysexits.h values where one fits): the one
// table of name, number and meaning. The enum and exit_statuses() (which
// 'analytics --help' lists) are both made from it.
#define ANALYTICS_EXIT_STATUSES(X)                                                                 \
    X(ok, 0, "ok")                                                                                 \
    X(step_failed, 1, "a step failed")                                                             \
    X(usage, 64, "usage")                                                                          \
    X(data, 65, "too many rejects")                                                                \
    X(no_input, 66, "input missing")                                                               \
    X(unavailable, 69, "database unavailable")                                                     \
    X(software, 70, "internal error")                                                              \
    X(cant_create, 73, "output cannot be created")                                                 \
    X(temp_fail, 75, "locked")                                                                     \
    X(no_perm, 77, "permission denied")                                                            \
    X(config, 78, "configuration or schema error")

enum class ExitStatus : int {
#define ANALYTICS_EXIT_STATUS_ENUM(name, number, meaning) name = number,
    ANALYTICS_EXIT_STATUSES(ANALYTICS_EXIT_STATUS_ENUM)
#undef ANALYTICS_EXIT_STATUS_ENUM
};

struct ExitStatusInfo {
    ExitStatus status;
    std::string_view meaning; // a few words, as 'analytics --help' shows them
};

// Every exit status with its meaning, in numeric order.
inline constexpr ExitStatusInfo exit_statuses[] = {
#define ANALYTICS_EXIT_STATUS_INFO(name, number, meaning) {ExitStatus::name, meaning},
    ANALYTICS_EXIT_STATUSES(ANALYTICS_EXIT_STATUS_INFO)
#undef ANALYTICS_EXIT_STATUS_INFO
};

class Error : public std::runtime_error {
  public:
    Error(ExitStatus status, const std::string& message)
        : std::runtime_error(message), m_status(status) {}

    ExitStatus status() const noexcept { return m_status; }

  private:
    ExitStatus m_status;
};

// The command line is wrong.
struct UsageError : Error {
    explicit UsageError(const std::string& m) : Error(ExitStatus::usage, m) {}
};

// Too much of the input was rejected.
struct DataError : Error {
    explicit DataError(const std::string& m) : Error(ExitStatus::data, m) {}
};

// An input file is missing or unreadable.
struct InputError : Error {
    explicit InputError(const std::string& m) : Error(ExitStatus::no_input, m) {}
};

// The database cannot be reached (or the embedded one cannot be started).
struct DbUnavailable : Error {
    explicit DbUnavailable(const std::string& m) : Error(ExitStatus::unavailable, m) {}
};

// An output (a file, a directory) cannot be created or written, or the disk is full.
struct OutputError : Error {
    explicit OutputError(const std::string& m) : Error(ExitStatus::cant_create, m) {}
};

// Credentials or file permissions refuse the run: retrying cannot help.
struct PermissionDenied : Error {
    explicit PermissionDenied(const std::string& m) : Error(ExitStatus::no_perm, m) {}
};

// Another run holds the lock.
struct LockBusy : Error {
    explicit LockBusy(const std::string& m) : Error(ExitStatus::temp_fail, m) {}
};

// The configuration file, an environment override or the database schema is wrong.
struct ConfigError : Error {
    explicit ConfigError(const std::string& m) : Error(ExitStatus::config, m) {}
};

// A step of a multi-step job failed; the summary says which.
struct StepFailed : Error {
    explicit StepFailed(const std::string& m) : Error(ExitStatus::step_failed, m) {}
};

// What the process should say and return for an exception that reached the top.
// An exception's message without trailing newlines (libpq ends its own with one).
std::string error_text(const std::exception& error);

struct ExitReport {
    ExitStatus status;
    std::string message;
};

// Maps our exceptions and the standard library's to an exit status and a
// one-line message. Database errors are mapped by db/error_table.hpp (util/
// knows nothing of libpqxx), whose db::exit_report_for the executable calls
// and which ends here for anything else.
ExitReport exit_report_for(const std::exception_ptr& error);

} // namespace analytics
