#include <analytics/ingest/line_pool.hpp>

#include <algorithm>
#include <string>

namespace analytics::ingest {

namespace {

// A chunk's line buffers keep their capacity from chunk to chunk, unless a
// huge line made them huge.
constexpr std::size_t kept_capacity = 64 * 1024;

void prepare(LineWorker& worker, LineChunk& chunk) {
    try {
        worker.use(chunk.format);
        for (std::size_t i = 0; i < chunk.size; ++i) {
            worker.prepare(chunk.tasks[i], chunk.format);
        }
    } catch (...) {
        chunk.error = std::current_exception();
    }
}

} // namespace

LinePool::LinePool(std::vector<std::unique_ptr<LineWorker>>& workers) {
    // Each worker busy with one chunk, one more waiting for each, and the
    // one being filled.
    const std::size_t chunks = 2 * workers.size() + 1;
    for (std::size_t i = 0; i < chunks; ++i) {
        m_chunks.push_back(std::make_unique<LineChunk>());
        m_free.push_back(m_chunks.back().get());
    }
    for (std::size_t i = 0; i < workers.size(); ++i) {
        m_threads.emplace_back([this, i, &worker = *workers[i]] { work(worker, i == 0); });
    }
}

LinePool::~LinePool() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_queued.notify_all();
    for (auto& thread : m_threads) {
        thread.join();
    }
}

LineChunk* LinePool::free_chunk() {
    std::lock_guard lock(m_mutex);
    if (m_free.empty() || (m_in_flight >= in_flight_bytes && !m_order.empty())) {
        return nullptr;
    }
    LineChunk* chunk = m_free.back();
    m_free.pop_back();
    chunk->size = 0;
    chunk->bytes = 0;
    chunk->error = nullptr;
    chunk->ready = false;
    return chunk;
}

void LinePool::submit(LineChunk* chunk) {
    {
        std::lock_guard lock(m_mutex);
        m_order.push_back(chunk);
        m_queue.push_back(chunk);
        m_in_flight += chunk->bytes;
    }
    m_queued.notify_all(); // not just any one: see work()
}

LineChunk* LinePool::oldest(bool wait) {
    std::unique_lock lock(m_mutex);
    if (m_order.empty()) {
        return nullptr;
    }
    LineChunk* chunk = m_order.front();
    if (wait) {
        m_done.wait(lock, [chunk] { return chunk->ready; });
    }
    return chunk->ready ? chunk : nullptr;
}

void LinePool::release() {
    std::lock_guard lock(m_mutex);
    LineChunk* chunk = m_order.front();
    m_order.pop_front();
    m_in_flight -= chunk->bytes;
    for (std::size_t i = 0; i < chunk->size; ++i) {
        LineTask& task = chunk->tasks[i];
        const bool large =
            task.text.capacity() > kept_capacity || task.repaired_text.capacity() > kept_capacity ||
            std::any_of(task.done.begin(), task.done.end(),
                        [](const auto& done) { return done.encoded.capacity() > kept_capacity; });
        if (large) {
            task = LineTask{}; // its record's strings as well
        }
    }
    m_free.push_back(chunk);
}

void LinePool::work(LineWorker& worker, bool first) {
    // The other workers start once chunks wait: a small input (a CI pipe)
    // is not delayed by their making parsers and compiling uap-core.
    bool started = first;
    for (;;) {
        LineChunk* chunk = nullptr;
        {
            std::unique_lock lock(m_mutex);
            m_queued.wait(lock, [this, &started] {
                return m_stopping || m_queue.size() > (started ? 0 : 1);
            });
            started = true;
            if (m_stopping) {
                return;
            }
            const Format format = m_queue.front()->format;
            if (!worker.ready(format)) {
                // Its parsers made (uap-core compiled) before it takes a
                // chunk: meanwhile the others take the chunks, so a live
                // pipe's lines do not wait for the compilation.
                lock.unlock();
                try {
                    worker.use(format);
                } catch (...) {
                    // Again in prepare(), which reports it with the chunk.
                }
                lock.lock();
                if (m_stopping || m_queue.empty()) {
                    continue;
                }
            }
            chunk = m_queue.front();
            m_queue.pop_front();
        }
        prepare(worker, *chunk);
        {
            std::lock_guard lock(m_mutex);
            chunk->ready = true;
        }
        m_done.notify_all();
    }
}

} // namespace analytics::ingest
