#include <analytics/db/error_table.hpp>
#include <analytics/load/db_errors.hpp>
#include <analytics/util/errors.hpp>

namespace analytics::load {

namespace {

[[noreturn]] void raise(ExitStatus status, const std::string& message) {
    if (status == ExitStatus::unavailable) {
        throw DbUnavailable(message); // the type multi-step jobs stop on
    }
    throw Error(status, message);
}

} // namespace

void rethrow_database_error(const pqxx::connection_base& connection, const std::string& during,
                            const std::string& state) {
    try {
        throw;
    } catch (const pqxx::failure& e) {
        // The status is the table's (db/error_table.hpp); this adds what the
        // failure means for the data.
        const bool broken = dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr;
        // e.g. a COPY write on a dead connection: libpqxx says only "failure"
        const bool dead = !broken && db::sqlstate_of(e).empty() && !connection.is_open();
        const ExitStatus status = dead ? ExitStatus::unavailable : db::exit_status_for(e);
        if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
            raise(status, "lost the database connection while committing, " + during +
                              ": it may or may not be stored; a re-run stores exactly "
                              "what is missing");
        }
        if (broken || dead) {
            raise(status, "lost the database connection while " + during + ": " + state + " (" +
                              error_text(e) + ")");
        }
        if (status == ExitStatus::unavailable) {
            raise(status, "the database went away while " + during + ": " + state + " (" +
                              error_text(e) + ")");
        }
        const auto advice = db::rule_for(db::sqlstate_of(e)).advice;
        raise(status, "database error while " + during + ": " + error_text(e) + "; " + state +
                          (advice.empty() ? "" : " (" + std::string(advice) + ")"));
    }
}

} // namespace analytics::load
