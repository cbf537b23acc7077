#pragma once

// Library-internal: where a maintenance step's transactions run. Normally
// each step commits on its own. In a dry run (DryRun below) every step runs
// in a savepoint of one transaction that is rolled back at the end, so that
// a step sees what the steps before it would have done (the retention after
// a rollup sees the new checkpoints and rollup rows) and nothing is kept.

#include <analytics/db/session_impl.hpp>

#include <memory>
#include <type_traits>
#include <utility>

namespace analytics::db {

// Opens the dry run's transaction on `session`; rolls it back when it ends.
// Nested DryRuns share the outermost one.
class DryRun {
  public:
    explicit DryRun(Session& session) : m_impl(session.impl()) {
        if (!m_impl.dry_run) {
            m_impl.dry_run = std::make_unique<pqxx::work>(m_impl.connection, "analytics_dry_run");
            m_owner = true;
        }
    }

    ~DryRun() {
        if (m_owner) {
            m_impl.dry_run.reset(); // destroying an open pqxx::work rolls it back
        }
    }

    DryRun(const DryRun&) = delete;
    DryRun& operator=(const DryRun&) = delete;

  private:
    Session::Impl& m_impl;
    bool m_owner = false;
};

inline bool in_dry_run(Session& session) {
    return session.impl().dry_run != nullptr;
}

// body(tx), then tx.commit(); returns what body returned.
template <class Transaction, class Body>
decltype(auto) commit_after(Transaction& tx, Body& body) {
    if constexpr (std::is_void_v<decltype(body(tx))>) {
        body(tx);
        tx.commit();
    } else {
        decltype(auto) result = body(tx);
        tx.commit();
        return result;
    }
}

// Runs body(tx) in a transaction of its own and commits it, or in a savepoint
// of the dry run's transaction. An exception rolls back only this step.
template <class Body>
decltype(auto) in_transaction(Session& session, Body&& body) {
    auto& impl = session.impl();
    if (impl.dry_run) {
        pqxx::subtransaction tx(*impl.dry_run, "analytics_step");
        return commit_after(tx, body);
    }
    pqxx::work tx(impl.connection);
    return commit_after(tx, body);
}

} // namespace analytics::db
