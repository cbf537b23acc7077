#include <analytics/load/db_errors.hpp>
#include <analytics/util/errors.hpp>

namespace analytics::load {

void rethrow_database_error(const pqxx::connection_base& connection, const std::string& during,
                            const std::string& state) {
    try {
        throw;
    } catch (const pqxx::in_doubt_error&) {
        throw DbUnavailable("lost the database connection while committing, " + during +
                            ": it may or may not be stored; a re-run stores exactly what is "
                            "missing");
    } catch (const pqxx::broken_connection& e) {
        throw DbUnavailable("lost the database connection while " + during + ": " + state + " (" +
                            error_text(e) + ")");
    } catch (const pqxx::sql_error& e) {
        // 08: connection exception; 57P: the server is shutting down.
        if (e.sqlstate().rfind("08", 0) == 0 || e.sqlstate().rfind("57P", 0) == 0) {
            throw DbUnavailable("the database went away while " + during + ": " + state + " (" +
                                error_text(e) + ")");
        }
        throw StepFailed("database error while " + during + ": " + error_text(e) + "; " + state);
    } catch (const pqxx::failure& e) { // e.g. a COPY write on a dead connection
        if (!connection.is_open()) {
            throw DbUnavailable("lost the database connection while " + during + ": " + state +
                                " (" + error_text(e) + ")");
        }
        throw StepFailed("database error while " + during + ": " + error_text(e) + "; " + state);
    }
}

} // namespace analytics::load
