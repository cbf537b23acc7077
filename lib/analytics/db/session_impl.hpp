#pragma once

// Library-internal: the libpqxx connection behind a Session. Only lib/ sources
// include this header; the executable never sees libpqxx.

#include <analytics/db/session.hpp>

#include <pqxx/pqxx>

#include <memory>
#include <string>

namespace analytics::db {

struct Session::Impl {
    explicit Impl(const std::string& conninfo) : connection(conninfo) {}

    pqxx::connection connection;
    // The open dry-run transaction (db/transaction_scope.hpp), if any.
    std::unique_ptr<pqxx::work> dry_run;
};

// "schema"."name", both quoted.
std::string qualified(const Session& session, const std::string& name);

} // namespace analytics::db
