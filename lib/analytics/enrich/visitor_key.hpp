#pragma once

// Unique visitors without storing an address (SPEC §9, as Plausible does):
// a record's visitor_key is a keyed hash (SipHash-2-4) of its client address,
// user agent and server address under a secret salt of its local day. The
// salts live in the database (visitor_salts, shared by every writer, so
// concurrent ingests agree) and are deleted two days later (storage/rollup):
// from then on a key cannot be traced back to an address, nor linked to the
// same visitor's keys of other days. Computed before the privacy rules drop
// or truncate the address.

#include <analytics/record/access_record.hpp>
#include <analytics/time/local_zone.hpp>
#include <analytics/util/siphash.hpp>

#include <cstdint>
#include <functional>
#include <map>

namespace analytics::enrich {

using VisitorSalt = SipKey;

// The salt of a local day (days since 1970-01-01).
using SaltSource = std::function<VisitorSalt(std::int64_t day)>;

// 16 bytes from the system's random source.
VisitorSalt random_salt();

// A source that makes a random salt per day and keeps it in memory (writers
// without a database: --dry-run, --output).
SaltSource memory_salts();

class VisitorKeys {
  public:
    VisitorKeys(const time::LocalZone& zone, SaltSource source)
        : m_zone(zone), m_source(std::move(source)) {}

    // Sets visitor_key from the record's client address, user agent and
    // server address (16 hex digits); NULL without a client address.
    void assign(record::AccessRecord& record);

  private:
    time::LocalZone m_zone;
    SaltSource m_source;
    std::map<std::int64_t, VisitorSalt> m_salts; // fetched once per day and run
    std::string m_scratch;
};

} // namespace analytics::enrich
