#pragma once

// Library-internal: turns the libpqxx exception being handled into the
// typed error of SPEC §6, its status from db/error_table.hpp (69 when the
// database went away, 75 for a deadlock or a full disk, 1 for most others),
// its message saying what the failure means for the data.

#include <analytics/util/errors.hpp>

#include <pqxx/pqxx>

#include <string>

namespace analytics::load {

// Call from a catch block. `during` says what was being done ("loading
// access.log (batch ending at line 2000)"), `state` what that means for the
// data ("that batch was not stored; a re-run continues from the last one").
[[noreturn]] void rethrow_database_error(const pqxx::connection_base& connection,
                                         const std::string& during, const std::string& state);

} // namespace analytics::load
