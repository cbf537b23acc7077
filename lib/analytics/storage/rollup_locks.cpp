#include <analytics/storage/rollup_locks.hpp>

#include <vector>

namespace analytics::storage {

namespace {

constexpr std::int64_t day_slots = 64;
constexpr std::int64_t first_checkpoint_slot = day_slots;

// One lock space per schema and table.
std::string lock_space(const db::Session& session, const std::string& table) {
    return "analytics:rollup-day:" + session.schema() + "." + table;
}

std::int64_t slot_of(std::int64_t day) {
    return ((day % day_slots) + day_slots) % day_slots;
}

} // namespace

void lock_days_for_writing(pqxx::transaction_base& tx, const db::Session& session,
                           const std::string& table, const std::set<std::int64_t>& days) {
    std::set<std::int64_t> slots;
    for (const std::int64_t day : days) {
        slots.insert(slot_of(day));
        if (slots.size() == day_slots) {
            break;
        }
    }
    slots.insert(first_checkpoint_slot);
    std::string array = "{";
    for (const std::int64_t slot : slots) { // ascending
        array += (array.size() > 1 ? "," : "") + std::to_string(slot);
    }
    array += "}";
    tx.exec_params("SELECT count(pg_advisory_xact_lock_shared(hashtext($1), s)) "
                   "FROM unnest($2::int[]) AS s", // in array order
                   lock_space(session, table), array);
}

void lock_day_for_rollup(pqxx::transaction_base& tx, const db::Session& session,
                         const std::string& table, std::int64_t day) {
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1), $2::int)",
                   lock_space(session, table), slot_of(day));
}

void lock_first_checkpoint(pqxx::transaction_base& tx, const db::Session& session,
                           const std::string& table) {
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1), $2::int)",
                   lock_space(session, table), first_checkpoint_slot);
}

} // namespace analytics::storage
