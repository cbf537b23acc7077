#include <analytics/ingest/record_id.hpp>

#include <cstring>
#include <map>

namespace analytics::ingest {

OccurrenceCounter::OccurrenceCounter(std::int64_t window_us) : m_window_us(window_us) {
    m_slots.assign(std::size_t{1} << 16, Slot{0, 0, 0});
}

OccurrenceCounter::Slot* OccurrenceCounter::find_slot(std::uint64_t hash) noexcept {
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = static_cast<std::size_t>(hash) & mask;
    while (m_slots[i].count != 0 && m_slots[i].hash != hash) {
        i = (i + 1) & mask;
    }
    return &m_slots[i];
}

std::uint32_t OccurrenceCounter::next(std::uint64_t hash, std::int64_t ts_us) {
    if (ts_us > m_max_ts) {
        m_max_ts = ts_us;
    }
    Slot* slot = find_slot(hash);
    if (slot->count != 0) {
        slot->ts_us = ts_us;
        return slot->count++;
    }
    *slot = Slot{hash, ts_us, 1};
    if (++m_used * 2 > m_slots.size()) { // keep the load under one half
        rebuild(m_slots.size(), true);
        if (m_used * 4 > m_slots.size()) {
            rebuild(m_slots.size() * 2, false);
        }
    }
    return 0;
}

void OccurrenceCounter::rebuild(std::size_t capacity, bool evict) {
    const std::int64_t horizon = m_max_ts - m_window_us;
    std::vector<Slot> old(capacity, Slot{0, 0, 0});
    old.swap(m_slots);
    m_used = 0;
    for (const Slot& slot : old) {
        if (slot.count != 0 && (!evict || slot.ts_us >= horizon)) {
            *find_slot(slot.hash) = slot;
            ++m_used;
        }
    }
}

void OccurrenceCounter::clear() {
    m_slots.assign(std::size_t{1} << 16, Slot{0, 0, 0});
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
