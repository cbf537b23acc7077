#include <analytics/db/error_table.hpp>

#include <pqxx/except>

#include <string>
#include <string_view>

namespace analytics::db {

namespace {

constexpr SqlStateRule failed_step{"", ExitStatus::step_failed, false,
                                   "any other database error: the step failed"};

template <typename T>
bool is(const std::exception& error) noexcept {
    return dynamic_cast<const T*>(&error) != nullptr;
}

// libpqxx 6.4 throws most SQL errors as typed exceptions whose sqlstate() is
// empty (insufficient_privilege, disk_full, undefined_table, …), and some
// states only as types (in_doubt_error): the state each type stands for. A
// subclass before its base (too_many_connections is a broken_connection,
// disk_full an insufficient_resources, undefined_table a syntax_error).
struct TypedState {
    bool (*matches)(const std::exception&) noexcept;
    std::string_view state;
};

constexpr TypedState typed_states[] = {
    {is<pqxx::in_doubt_error>, "08007"}, // transaction resolution unknown
    {is<pqxx::too_many_connections>, "53300"},
    {is<pqxx::broken_connection>, "08006"}, // connection failure
    {is<pqxx::serialization_failure>, "40001"},
    {is<pqxx::deadlock_detected>, "40P01"},
    {is<pqxx::statement_completion_unknown>, "40003"},
    {is<pqxx::transaction_rollback>, "40000"},
    {is<pqxx::disk_full>, "53100"},
    {is<pqxx::out_of_memory>, "53200"},
    {is<pqxx::insufficient_resources>, "53000"},
    {is<pqxx::insufficient_privilege>, "42501"},
    {is<pqxx::undefined_table>, "42P01"},
    {is<pqxx::undefined_column>, "42703"},
    {is<pqxx::undefined_function>, "42883"},
    {is<pqxx::syntax_error>, "42601"},
    {is<pqxx::restrict_violation>, "23001"},
    {is<pqxx::not_null_violation>, "23502"},
    {is<pqxx::foreign_key_violation>, "23503"},
    {is<pqxx::unique_violation>, "23505"},
    {is<pqxx::check_violation>, "23514"},
    {is<pqxx::integrity_constraint_violation>, "23000"},
    {is<pqxx::data_exception>, "22000"},
    {is<pqxx::feature_not_supported>, "0A000"},
};

// Citus reports a worker lost in the middle of a distributed transaction
// as an internal error (XX000) with this text (remote_transaction.c): for
// the admin it is a lost connection, retried once the worker is back.
constexpr std::string_view citus_worker_lost = "failure on connection marked as essential";

// A worker lost during one of its commands (a COPY) comes as libpq's own
// message, which has no SQLSTATE, so also XX000, with the worker named in the
// context (remote_commands.c, ReportResultError).
constexpr std::string_view citus_worker_command = "while executing command on ";
constexpr std::string_view libpq_connection_lost[] = {
    "server closed the connection unexpectedly",
    "connection not open",
    "could not receive data from server",
    "could not send data to server",
    "no connection to the server",
    "SSL connection has been closed unexpectedly",
};

bool citus_lost_worker(std::string_view text) noexcept {
    if (text.find(citus_worker_lost) != std::string_view::npos) {
        return true;
    }
    if (text.find(citus_worker_command) == std::string_view::npos) {
        return false;
    }
    for (const std::string_view lost : libpq_connection_lost) {
        if (text.find(lost) != std::string_view::npos) {
            return true;
        }
    }
    return false;
}

} // namespace

const SqlStateRule& rule_for(std::string_view sqlstate) noexcept {
    const SqlStateRule* best = &failed_step;
    for (const auto& rule : sqlstate_rules) {
        if (sqlstate.substr(0, rule.state.size()) == rule.state &&
            rule.state.size() > best->state.size()) {
            best = &rule;
        }
    }
    return *best;
}

std::string_view sqlstate_of(const std::exception& error) noexcept {
    if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
        if (!sql->sqlstate().empty()) {
            if (sql->sqlstate() == "XX000" && citus_lost_worker(error.what())) {
                return "08006"; // connection failure
            }
            return sql->sqlstate();
        }
    }
    for (const auto& [matches, state] : typed_states) {
        if (matches(error)) {
            return state;
        }
    }
    return "";
}

ExitStatus exit_status_for(const std::exception& error) noexcept {
    if (const auto* ours = dynamic_cast<const Error*>(&error)) {
        return ours->status();
    }
    if (is<pqxx::failure>(error)) {
        return rule_for(sqlstate_of(error)).status;
    }
    if (is<pqxx::conversion_error>(error)) {
        return ExitStatus::data;
    }
    return ExitStatus::software;
}

bool database_gone(const std::exception& error) noexcept {
    return exit_status_for(error) == ExitStatus::unavailable;
}

bool bad_rows(const std::exception& error) noexcept {
    return is<pqxx::failure>(error) && rule_for(sqlstate_of(error)).bad_rows;
}

ExitReport exit_report_for(const std::exception_ptr& error) {
    // libpqxx's exceptions become our typed Error, which the general mapping
    // reports as such.
    try {
        std::rethrow_exception(error);
    } catch (const pqxx::in_doubt_error& e) {
        return analytics::exit_report_for(std::make_exception_ptr(
            Error(exit_status_for(e),
                  std::string{"commit outcome unknown, re-run to reconcile: "} + e.what())));
    } catch (const pqxx::broken_connection& e) {
        return analytics::exit_report_for(std::make_exception_ptr(
            Error(exit_status_for(e), std::string{"database unavailable: "} + e.what())));
    } catch (const pqxx::failure& e) {
        const auto& rule = rule_for(sqlstate_of(e));
        std::string message = std::string{"database error: "} + error_text(e);
        if (!rule.advice.empty()) {
            message += " (" + std::string(rule.advice) + ")";
        }
        return analytics::exit_report_for(std::make_exception_ptr(Error(rule.status, message)));
    } catch (const pqxx::conversion_error& e) {
        return analytics::exit_report_for(std::make_exception_ptr(
            Error(ExitStatus::data, std::string{"conversion error: "} + e.what())));
    } catch (...) {
        return analytics::exit_report_for(error);
    }
}

} // namespace analytics::db
