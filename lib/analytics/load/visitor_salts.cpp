#include <analytics/db/statements.hpp>
#include <analytics/db/transaction_scope.hpp>
#include <analytics/load/visitor_salts.hpp>
#include <analytics/storage/calendar.hpp>

#include <memory>
#include <optional>
#include <stdexcept>

namespace analytics::load {

namespace {

std::string to_hex(const enrich::VisitorSalt& salt) {
    static const char digits[] = "0123456789abcdef";
    std::string hex;
    for (const unsigned char c : salt) {
        hex += digits[c >> 4];
        hex += digits[c & 0xf];
    }
    return hex;
}

enrich::VisitorSalt from_hex(const std::string& hex) {
    enrich::VisitorSalt salt{};
    if (hex.size() != 2 * salt.size()) {
        throw std::runtime_error("visitor_salts: a salt is not 16 bytes");
    }
    for (std::size_t i = 0; i < salt.size(); ++i) {
        salt[i] = static_cast<unsigned char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    }
    return salt;
}

} // namespace

enrich::SaltSource database_salts(db::OpenOptions open) {
    open.command += "-salts";
    auto session = std::make_shared<std::optional<db::Session>>();
    return [open, session](std::int64_t day) {
        if (!*session) {
            session->emplace(db::open_session(open));
        }
        const db::Arguments arguments{{"day", storage::format_day(day)},
                                      {"salt", to_hex(enrich::random_salt())}};
        return db::in_transaction(**session, [&](pqxx::transaction_base& tx) {
            db::run(tx, db::statement("visitors/create_salt"), arguments);
            // A new statement, a new snapshot: sees the salt of a writer
            // whose insert won the conflict.
            return from_hex(
                db::run(tx, db::statement("visitors/salt_of"), arguments)[0][0].as<std::string>());
        });
    };
}

} // namespace analytics::load
