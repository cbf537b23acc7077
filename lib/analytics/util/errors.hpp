#pragma once

// Typed errors thrown by the core library. Each type carries the process exit
// status it stands for (SPEC §6); the executable maps them in one place.

#include <exception>
#include <stdexcept>
#include <string>

namespace analytics {

// Process exit statuses (sysexits.h values where one fits).
enum class ExitStatus : int {
    ok = 0,
    step_failed = 1,  // a step failed, others may have succeeded
    usage = 64,       // bad command line
    data = 65,        // too many rejected input lines
    no_input = 66,    // input missing or unreadable
    unavailable = 69, // database unavailable
    software = 70,    // internal error
    temp_fail = 75,   // locked by another run, try later
    config = 78       // configuration or schema error
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
