#pragma once

// Countries without addresses (SPEC §9, optional): with geoip.database naming
// a MaxMind-format country database (GeoLite2-Country, DB-IP Lite country),
// a record's country_code is the ISO 3166-1 alpha-2 code of its client
// address, looked up before the privacy rules drop or truncate the address.
// libmaxminddb reads the file through a read-only mapping: lookups on one
// open database are safe from any number of threads, so every builder of a
// process shares it.

#include <analytics/config/config.hpp>
#include <analytics/record/access_record.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace analytics::enrich {

class CountryDatabase {
  public:
    // Throws ConfigError (exit 78) naming the file when it cannot be opened
    // or is not a MaxMind database.
    explicit CountryDatabase(const std::string& path);
    ~CountryDatabase();
    CountryDatabase(const CountryDatabase&) = delete;
    CountryDatabase& operator=(const CountryDatabase&) = delete;

    // The country code of an IPv4 or IPv6 address ("FR"), empty when the
    // address is not one, is private or reserved, or has no country in the
    // database. No allocation.
    std::string_view country_of(std::string_view address) const;

    // Sets country_code from the record's client address (NULL when
    // unknown). Without an address the column stays as it is: a stored row
    // whose address was dropped keeps the country it got at ingest.
    void assign(record::AccessRecord& record) const;

    // The database's type and build date, as its metadata says ("GeoLite2-Country, 2026-11-24").
    std::string description() const;

  private:
    struct Handle;
    std::unique_ptr<Handle> m_handle;
};

// The database geoip.database names, opened once per process and path and
// shared by every caller; null when geoip.database is empty (the default).
std::shared_ptr<const CountryDatabase> country_database(const config::Config& config);

} // namespace analytics::enrich
