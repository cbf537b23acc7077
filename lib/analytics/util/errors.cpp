#include <analytics/util/errors.hpp>

#include <pqxx/except>

#include <new>
#include <system_error>

namespace analytics {

namespace {

ExitReport from_sql_error(const pqxx::sql_error& e) {
    const std::string state = e.sqlstate();
    const std::string message = std::string{"database error: "} + e.what();
    // SQLSTATE classes: 08 connection, 53 resources, 57 operator intervention
    // (server shutting down), 22 data exception.
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) {
        return {ExitStatus::unavailable, message};
    }
    if (state.rfind("53", 0) == 0 || state == "55P03" || state == "40001" || state == "40P01") {
        return {ExitStatus::temp_fail, message};
    }
    if (state.rfind("22", 0) == 0) {
        return {ExitStatus::data, message};
    }
    if (state == "3F000" || state == "42P01" || state == "42703") {
        return {ExitStatus::config, message + " (is the schema migrated? run 'analytics migrate')"};
    }
    return {ExitStatus::step_failed, message};
}

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
    } catch (const pqxx::broken_connection& e) {
        report = {ExitStatus::unavailable, std::string{"database unavailable: "} + e.what()};
    } catch (const pqxx::in_doubt_error& e) {
        report = {ExitStatus::temp_fail,
                  std::string{"commit outcome unknown, re-run to reconcile: "} + e.what()};
    } catch (const pqxx::sql_error& e) {
        report = from_sql_error(e);
    } catch (const pqxx::conversion_error& e) {
        report = {ExitStatus::data, std::string{"conversion error: "} + e.what()};
    } catch (const std::bad_alloc&) {
        report = {ExitStatus::software, "out of memory"};
    } catch (const std::system_error& e) {
        report = {ExitStatus::software, std::string{"system error: "} + e.what()};
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
