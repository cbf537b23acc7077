// Visitor keys: SipHash-2-4 as published, one key per visitor and day, none
// without an address, and nothing of the address in the key.

#include <analytics/enrich/visitor_key.hpp>
#include <analytics/util/siphash.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace analytics;

TEST_CASE("SipHash-2-4: the test vectors of the paper and the reference code") {
    SipKey key{};
    for (std::size_t i = 0; i < key.size(); ++i) {
        key[i] = static_cast<unsigned char>(i);
    }
    std::string message;
    for (char c = 0; c < 15; ++c) {
        message += c;
    }
    CHECK(siphash24(key, message) == 0xa129ca6149be45e5ULL); // paper, appendix A
    CHECK(siphash24(key, "") == 0x726fdb47dd0e0e31ULL);      // vectors.h, empty input
    key[0] ^= 1;
    CHECK(siphash24(key, message) != 0xa129ca6149be45e5ULL);
}

TEST_CASE("a visitor key per address, user agent, host and local day") {
    int fetched = 0;
    enrich::VisitorKeys keys(time::LocalZone("Europe/Paris"), [&fetched](std::int64_t day) {
        ++fetched;
        enrich::VisitorSalt salt{};
        salt[0] = static_cast<unsigned char>(day);
        return salt;
    });
    auto key_of = [&keys](std::int64_t ts_us, const char* ip, const char* agent) {
        record::AccessRecord r;
        r.ts_us = ts_us;
        if (ip != nullptr) {
            r.client_ip.set(ip);
        }
        r.user_agent.set(agent);
        r.server_address.set("geo.example.org");
        keys.assign(r);
        return r.visitor_key.has_value() ? r.visitor_key.value() : std::string("NULL");
    };
    const std::int64_t noon = std::int64_t{1'780'000'000} * 1'000'000; // 2026-05-28 UTC
    const std::string a = key_of(noon, "192.0.2.1", "QGIS");
    CHECK(a.size() == 16);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(key_of(noon + 3'600'000'000, "192.0.2.1", "QGIS") == a);
    CHECK(key_of(noon, "192.0.2.2", "QGIS") != a);
    CHECK(key_of(noon, "192.0.2.1", "Firefox") != a);
    CHECK(key_of(noon + 86'400'000'000, "192.0.2.1", "QGIS") != a); // the next day's salt
    CHECK(key_of(noon, nullptr, "QGIS") == "NULL");
    CHECK(fetched == 2); // a salt fetched once per day
}

TEST_CASE("salts from the system's random source differ") {
    CHECK(enrich::random_salt() != enrich::random_salt());
    auto salts = enrich::memory_salts();
    CHECK(salts(20000) == salts(20000));
    CHECK(salts(20000) != salts(20001));
}
