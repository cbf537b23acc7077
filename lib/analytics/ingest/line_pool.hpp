#pragma once

// ingest --jobs N: N worker threads prepare chunks of lines (line_task.hpp)
// while the pipeline's thread reads the next ones, and hand them back in the
// order they were given. A fixed number of chunks, each bounded in lines and
// bytes, circulates, and the lines in flight are bounded in bytes too (a
// chunk holds at least one line, however long): memory stays flat however
// large the input or its lines.

#include <analytics/ingest/formats.hpp>
#include <analytics/ingest/line_task.hpp>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace analytics::ingest {

struct LineChunk {
    static constexpr std::size_t max_lines = 64;
    static constexpr std::size_t max_bytes = std::size_t{1} << 20;

    Format format = Format::combined;
    std::vector<LineTask> tasks = std::vector<LineTask>(max_lines);
    std::size_t size = 0;  // tasks in use
    std::size_t bytes = 0; // of their lines
    std::exception_ptr error;
    bool ready = false;

    bool full() const noexcept { return size == max_lines || bytes >= max_bytes; }
};

class LinePool {
  public:
    // Lines of 10 MB (the longest accepted is line_limit) are then prepared
    // one at a time, as with --jobs 1, instead of 2N+1 at once.
    static constexpr std::size_t in_flight_bytes = 4 * LineChunk::max_bytes;

    // One thread per worker (each uses its own, only).
    explicit LinePool(std::vector<std::unique_ptr<LineWorker>>& workers);
    ~LinePool(); // waits for the chunks being prepared
    LinePool(const LinePool&) = delete;
    LinePool& operator=(const LinePool&) = delete;

    // A chunk to fill, empty; null when every chunk is out, or the lines
    // handed over hold in_flight_bytes already (then the oldest must be
    // taken back first).
    LineChunk* free_chunk();
    // Hands a filled chunk to the workers.
    void submit(LineChunk* chunk);
    // The oldest chunk handed over, once prepared (`wait`: waits for it);
    // null when there is none, or (not waiting) it is not ready.
    LineChunk* oldest(bool wait);
    // The oldest chunk was consumed: it is free again.
    void release();

  private:
    void work(LineWorker& worker, bool first);

    std::vector<std::unique_ptr<LineChunk>> m_chunks;
    std::vector<LineChunk*> m_free;
    std::deque<LineChunk*> m_order; // handed over, oldest first
    std::deque<LineChunk*> m_queue; // waiting for a worker
    std::size_t m_in_flight = 0;    // bytes of the lines of the chunks in m_order
    std::mutex m_mutex;
    std::condition_variable m_queued; // to the workers
    std::condition_variable m_done;   // to the pipeline
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

} // namespace analytics::ingest
