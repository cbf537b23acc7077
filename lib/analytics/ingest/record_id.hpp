#pragma once

// Deterministic record ids for sources without one (SPEC §2): a 64-bit hash
// of the line's content, plus the occurrence number among identical lines
// of the same input, so two genuinely identical requests are both kept and a
// re-run of the same input yields the same ids. The fields given with
// --extra (server_address, …) are mixed in when there are any, so the same
// line from two servers gives two rows (SPEC §9).

#include <analytics/parse/access_parser.hpp>
#include <analytics/util/hash.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace analytics::ingest {

// Counts identical lines. Identical lines carry identical timestamps, so only
// a window of recent timestamps is remembered: memory stays bounded while
// lines logged out of order by up to `window` are still told apart.
class OccurrenceCounter {
  public:
    explicit OccurrenceCounter(std::int64_t window_us = 3600LL * 1'000'000);
    // A moved-from counter is empty, and usable (it takes new slots at the
    // next line): inputs read in turns swap counters through moves.
    OccurrenceCounter(OccurrenceCounter&& other) noexcept;
    OccurrenceCounter& operator=(OccurrenceCounter&& other) noexcept;

    // 0 for the first line with this hash and timestamp, then 1, 2, …
    std::uint32_t next(std::uint64_t hash, std::int64_t ts_us);
    void clear();

    std::size_t size() const noexcept { return m_used; }

  private:
    // Open addressing with linear probing: one flat array, no allocation
    // per line. A slot with count 0 is empty (stored counts are 1-based).
    struct Slot {
        std::uint64_t hash;
        std::int64_t ts_us;
        std::uint32_t count;
    };

    // Zeroed slots from calloc: a large block comes from mmap, zeroed by the
    // kernel, so its pages are touched (and faulted in) only as lines fill
    // them; a zero-filled vector faulted in the whole table at start-up.
    struct FreeSlots {
        void operator()(Slot* slots) const noexcept;
    };

    using Slots = std::unique_ptr<Slot[], FreeSlots>;
    static Slots zeroed_slots(std::size_t count);

    void rebuild(std::size_t capacity, bool evict);
    Slot* find_slot(std::uint64_t hash) noexcept;

    // Large enough that a small input forgets nothing, even lines hours out
    // of order (the window only bounds memory once 32,768 are remembered).
    static constexpr std::size_t initial_capacity = std::size_t{1} << 16;

    Slots m_slots;
    std::size_t m_capacity = 0; // a power of two
    std::size_t m_used = 0;
    std::int64_t m_window_us;
    std::int64_t m_max_ts = INT64_MIN;
};

// "3f2a…" (16 hex digits), with "-N" for the N-th repetition.
void format_record_id(std::string& out, std::uint64_t hash, std::uint32_t occurrence);

// What tells the records of one source from another's: a hash of the fields
// set on every record (--extra KEY=VALUE), as they are applied (a key given
// twice keeps its last value), in key order. 0 when there are none.
std::uint64_t source_hash(const std::vector<std::pair<std::string, std::string>>& fields);

// Gives every record parsed from `line` that has no id yet (no span id) its
// content id: the hash of the line, seeded with the record's position in it
// and, when `source` is not 0, with the source_hash, numbered among identical
// ones. Source 0 gives the ids of version 0.1, which stored rows keep.
// A server address read from the line itself is part of the line already.
void assign_ids(parse::ParsedBatch& batch, std::string_view line, OccurrenceCounter& counter,
                std::uint64_t source = 0);

// The hash behind the content id of the `index`-th record of `line`: what
// assign_ids numbers. ingest --jobs hashes on its workers, numbers in order.
std::uint64_t content_hash(std::string_view line, std::uint64_t source, std::size_t index) noexcept;

} // namespace analytics::ingest
