#include <analytics/ingest/record_id.hpp>

#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace analytics::ingest {

void OccurrenceCounter::FreeSlots::operator()(Slot* slots) const noexcept {
    std::free(slots);
}

OccurrenceCounter::Slots OccurrenceCounter::zeroed_slots(std::size_t count) {
    static_assert(std::is_trivially_copyable_v<Slot>, "a slot of zero bytes is an empty slot");
    void* memory = std::calloc(count, sizeof(Slot));
    if (memory == nullptr) {
        throw std::bad_alloc();
    }
    return Slots(static_cast<Slot*>(memory));
}

OccurrenceCounter::OccurrenceCounter(std::int64_t window_us)
    : m_slots(zeroed_slots(initial_capacity)), m_capacity(initial_capacity),
      m_window_us(window_us) {}

OccurrenceCounter::OccurrenceCounter(OccurrenceCounter&& other) noexcept
    : m_slots(std::move(other.m_slots)), m_capacity(std::exchange(other.m_capacity, 0)),
      m_used(std::exchange(other.m_used, 0)), m_window_us(other.m_window_us),
      m_max_ts(std::exchange(other.m_max_ts, INT64_MIN)) {}

OccurrenceCounter& OccurrenceCounter::operator=(OccurrenceCounter&& other) noexcept {
    if (this != &other) {
        m_slots = std::move(other.m_slots);
        m_capacity = std::exchange(other.m_capacity, 0);
        m_used = std::exchange(other.m_used, 0);
        m_window_us = other.m_window_us;
        m_max_ts = std::exchange(other.m_max_ts, INT64_MIN);
    }
    return *this;
}

OccurrenceCounter::Slot* OccurrenceCounter::find_slot(std::uint64_t hash) noexcept {
    const std::size_t mask = m_capacity - 1;
    std::size_t i = static_cast<std::size_t>(hash) & mask;
    while (m_slots[i].count != 0 && m_slots[i].hash != hash) {
        i = (i + 1) & mask;
    }
    return &m_slots[i];
}

std::uint32_t OccurrenceCounter::next(std::uint64_t hash, std::int64_t ts_us) {
    if (!m_slots) { // moved from
        clear();
    }
    if (ts_us > m_max_ts) {
        m_max_ts = ts_us;
    }
    Slot* slot = find_slot(hash);
    if (slot->count != 0) {
        slot->ts_us = ts_us;
        return slot->count++;
    }
    *slot = Slot{hash, ts_us, 1};
    if (++m_used * 2 > m_capacity) { // keep the load under one half
        rebuild(m_capacity, true);
        if (m_used * 4 > m_capacity) {
            rebuild(m_capacity * 2, false);
        }
    }
    return 0;
}

void OccurrenceCounter::rebuild(std::size_t capacity, bool evict) {
    const std::int64_t horizon = m_max_ts - m_window_us;
    std::vector<Slot> kept;
    kept.reserve(m_used);
    for (std::size_t i = 0; i < m_capacity; ++i) {
        const Slot& slot = m_slots[i];
        if (slot.count != 0 && (!evict || slot.ts_us >= horizon)) {
            kept.push_back(slot);
        }
    }
    if (capacity == m_capacity) {
        // The same pages again: fresh zeroed ones fault in one by one, a
        // random slot a line, which cost a twentieth of a run.
        std::memset(static_cast<void*>(m_slots.get()), 0, capacity * sizeof(Slot));
    } else {
        m_slots = zeroed_slots(capacity);
        m_capacity = capacity;
    }
    m_used = kept.size();
    for (const Slot& slot : kept) {
        *find_slot(slot.hash) = slot;
    }
}

void OccurrenceCounter::clear() {
    m_slots = zeroed_slots(initial_capacity);
    m_capacity = initial_capacity;
    m_used = 0;
    m_max_ts = INT64_MIN;
}

void format_record_id(std::string& out, std::uint64_t hash, std::uint32_t occurrence) {
    static constexpr char hex[] = "0123456789abcdef";
    out.resize(16);
    for (int i = 15; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = hex[hash & 0xF];
        hash >>= 4;
    }
    if (occurrence > 0) {
        out.push_back('-');
        out += std::to_string(occurrence);
    }
}

std::uint64_t source_hash(const std::vector<std::pair<std::string, std::string>>& fields) {
    if (fields.empty()) {
        return 0;
    }
    std::map<std::string_view, std::string_view> applied;
    for (const auto& [key, value] : fields) {
        applied[key] = value;
    }
    // Keys and values are hashed apart, so no separator can be ambiguous.
    std::uint64_t hash = 0;
    for (const auto& [key, value] : applied) {
        hash = combine_hash(combine_hash(hash, hash64(key)), hash64(value));
    }
    return hash == 0 ? 1 : hash; // 0 means "no fields"
}

std::uint64_t content_hash(std::string_view line, std::uint64_t source,
                           std::size_t index) noexcept {
    return hash64(line, source == 0 ? index : combine_hash(source, index));
}

void assign_ids(parse::ParsedBatch& batch, std::string_view line, OccurrenceCounter& counter,
                std::uint64_t source) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
        auto& record = batch[i].record;
        if (record.id.empty()) {
            const std::uint64_t hash = content_hash(line, source, i);
            format_record_id(record.id, hash, counter.next(hash, record.ts_us));
        }
    }
}

} // namespace analytics::ingest
