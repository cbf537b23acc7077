#include <analytics/util/errors.hpp>

#include <cerrno>
#include <new>
#include <system_error>

namespace analytics {

namespace {

std::string trim_trailing_newlines(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
        s.pop_back();
    }
    return s;
}

} // namespace

ExitReport exit_report_for(const std::exception_ptr& error) {
    ExitReport report{ExitStatus::software, "unknown internal error"};
    try {
        std::rethrow_exception(error);
    } catch (const Error& e) {
        report = {e.status(), e.what()};
    } catch (const std::bad_alloc&) {
        report = {ExitStatus::software, "out of memory"};
    } catch (const std::system_error& e) {
        // A file the run must write (the lock in ANALYTICS_HOME, an output):
        // permissions and a full disk are the administrator's to fix, not bugs.
        const int code = e.code().value();
        report = {code == EACCES || code == EPERM || code == EROFS ? ExitStatus::no_perm
                  : code == ENOSPC || code == EDQUOT               ? ExitStatus::cant_create
                                                                   : ExitStatus::software,
                  std::string{"system error: "} + e.what()};
    } catch (const std::exception& e) {
        report = {ExitStatus::software, std::string{"internal error: "} + e.what()};
    } catch (...) {
    }
    report.message = trim_trailing_newlines(report.message);
    return report;
}

std::string error_text(const std::exception& error) {
    std::string text = error.what();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

} // namespace analytics
