#pragma once

// The daily salts of visitor keys (enrich/visitor_key.hpp) as the database
// keeps them (visitor_salts): the first writer of a day creates it, every
// other one reads the same, so concurrent ingests agree. On a session of its
// own, opened at the first salt needed: the writers' sessions are busy with
// their batches.

#include <analytics/db/session.hpp>
#include <analytics/enrich/visitor_key.hpp>

namespace analytics::load {

enrich::SaltSource database_salts(db::OpenOptions open);

} // namespace analytics::load
