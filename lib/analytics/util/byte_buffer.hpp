#pragma once

// A growable byte buffer whose new bytes are left uninitialised. A large one
// comes from mmap, and its pages are faulted in only as data is written to
// them; std::string::resize writes zeros over every page first, which cost a
// small input's run a tenth of its time (page faults are dear in a VM).

#include <cstddef>
#include <cstring>
#include <memory>
#include <utility>

namespace analytics {

class ByteBuffer {
  public:
    ByteBuffer() = default;
    ByteBuffer(const ByteBuffer&) = delete;
    ByteBuffer& operator=(const ByteBuffer&) = delete;

    // A moved-from buffer is empty (and usable).
    ByteBuffer(ByteBuffer&& other) noexcept
        : m_bytes(std::move(other.m_bytes)), m_size(std::exchange(other.m_size, 0)),
          m_capacity(std::exchange(other.m_capacity, 0)) {}

    ByteBuffer& operator=(ByteBuffer&& other) noexcept {
        if (this != &other) {
            m_bytes = std::move(other.m_bytes);
            m_size = std::exchange(other.m_size, 0);
            m_capacity = std::exchange(other.m_capacity, 0);
        }
        return *this;
    }

    ~ByteBuffer() = default;

    char* data() noexcept { return m_bytes.get(); }

    const char* data() const noexcept { return m_bytes.get(); }

    std::size_t size() const noexcept { return m_size; }

    // Keeps the first min(size(), n) bytes; the others are unspecified.
    void resize(std::size_t n) {
        if (n > m_capacity) {
            std::unique_ptr<char[]> bytes(new char[n]);
            if (m_size > 0) {
                std::memcpy(bytes.get(), m_bytes.get(), m_size);
            }
            m_bytes = std::move(bytes);
            m_capacity = n;
        }
        m_size = n;
    }

  private:
    std::unique_ptr<char[]> m_bytes;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

} // namespace analytics
