#include <analytics/enrich/visitor_key.hpp>
#include <analytics/time/civil_day.hpp>

#include <memory>
#include <random>

namespace analytics::enrich {

VisitorSalt random_salt() {
    std::random_device device; // the kernel's getrandom()/urandom
    VisitorSalt salt{};
    for (std::size_t i = 0; i < salt.size(); i += 4) {
        const auto word = device();
        for (std::size_t j = 0; j < 4; ++j) {
            salt[i + j] = static_cast<unsigned char>(word >> (8 * j));
        }
    }
    return salt;
}

SaltSource memory_salts() {
    auto salts = std::make_shared<std::map<std::int64_t, VisitorSalt>>();
    return [salts](std::int64_t day) {
        const auto it = salts->find(day);
        return it != salts->end() ? it->second : salts->emplace(day, random_salt()).first->second;
    };
}

void VisitorKeys::assign(record::AccessRecord& record) {
    if (!record.client_ip.has_value()) {
        record.visitor_key.reset();
        return;
    }
    const std::int64_t local = m_zone.to_local(record.ts_us);
    const std::int64_t day = local / time::us_per_day - (local % time::us_per_day < 0 ? 1 : 0);
    auto it = m_salts.find(day);
    if (it == m_salts.end()) {
        it = m_salts.emplace(day, m_source(day)).first;
    }
    // NUL separates the parts: none can contain one.
    m_scratch.assign(record.client_ip.view());
    m_scratch += '\0';
    m_scratch += record.user_agent.view();
    m_scratch += '\0';
    m_scratch += record.server_address.view();
    const std::uint64_t h = siphash24(it->second, m_scratch);
    static const char digits[] = "0123456789abcdef";
    char key[16]; // 16 digits: one more than std::string holds without allocating
    for (int i = 0; i < 16; ++i) {
        key[i] = digits[(h >> (60 - 4 * i)) & 0xf];
    }
    record.visitor_key.set(std::string_view(key, sizeof key));
}

} // namespace analytics::enrich
