#include <analytics/ingest/record_id.hpp>

#include <cstring>

namespace analytics::ingest {

std::uint64_t hash64(std::string_view data, std::uint64_t seed) noexcept {
    constexpr std::uint64_t m = 0xc6a4a7935bd1e995ULL;
    constexpr int r = 47;
    std::uint64_t h = seed ^ (data.size() * m);
    const char* p = data.data();
    const char* end = p + (data.size() / 8) * 8;
    for (; p != end; p += 8) {
        std::uint64_t k;
        std::memcpy(&k, p, 8);
        k *= m;
        k ^= k >> r;
        k *= m;
        h ^= k;
        h *= m;
    }
    const auto* tail = reinterpret_cast<const unsigned char*>(p);
    switch (data.size() & 7) {
    case 7:
        h ^= std::uint64_t{tail[6]} << 48;
        [[fallthrough]];
    case 6:
        h ^= std::uint64_t{tail[5]} << 40;
        [[fallthrough]];
    case 5:
        h ^= std::uint64_t{tail[4]} << 32;
        [[fallthrough]];
    case 4:
        h ^= std::uint64_t{tail[3]} << 24;
        [[fallthrough]];
    case 3:
        h ^= std::uint64_t{tail[2]} << 16;
        [[fallthrough]];
    case 2:
        h ^= std::uint64_t{tail[1]} << 8;
        [[fallthrough]];
    case 1:
        h ^= std::uint64_t{tail[0]};
        h *= m;
        break;
    default:
        break;
    }
    h ^= h >> r;
    h *= m;
    h ^= h >> r;
    return h;
}

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

} // namespace analytics::ingest
