#include <analytics/input/line_reader.hpp>
#include <analytics/util/errors.hpp>

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace analytics::input {

namespace {

constexpr std::size_t chunk_bytes = 1u << 20;

gzFile as_gz(void* file) {
    return static_cast<gzFile>(file);
}

} // namespace

LineReader::LineReader(const std::string& path) : m_path(path) {
    int fd = -1;
    if (path == "-") {
        fd = ::dup(STDIN_FILENO);
    } else {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        throw InputError("cannot open " + (path == "-" ? std::string("stdin") : path) + ": " +
                         std::strerror(errno));
    }
    // zlib reads plain files transparently and handles concatenated members.
    m_file = gzdopen(fd, "rb");
    if (m_file == nullptr) {
        ::close(fd);
        throw InputError("cannot read " + path + ": out of memory");
    }
    gzbuffer(as_gz(m_file), 256 * 1024);
    m_buffer.resize(chunk_bytes);
}

LineReader::~LineReader() {
    if (m_file != nullptr) {
        gzclose(as_gz(m_file));
    }
}

std::uint64_t LineReader::raw_offset() const noexcept {
    const auto offset = gzoffset(as_gz(m_file));
    return offset < 0 ? 0 : static_cast<std::uint64_t>(offset);
}

bool LineReader::fill() {
    if (m_eof) {
        return false;
    }
    if (m_begin > 0) { // keep the partial line at the front
        std::memmove(m_buffer.data(), m_buffer.data() + m_begin, m_end - m_begin);
        m_end -= m_begin;
        m_begin = 0;
    }
    if (m_end == m_buffer.size()) {
        m_buffer.resize(std::min(m_buffer.size() * 2, max_line_bytes + chunk_bytes));
    }
    const auto want = static_cast<unsigned>(std::min(m_buffer.size() - m_end, chunk_bytes * 4));
    const int got = gzread(as_gz(m_file), m_buffer.data() + m_end, want);
    if (!m_probed && got > 0) {
        m_compressed = gzdirect(as_gz(m_file)) == 0;
        m_probed = true;
    }
    if (got <= 0) {
        int code = 0;
        const char* message = gzerror(as_gz(m_file), &code);
        if (got < 0 || (code != Z_OK && code != Z_STREAM_END)) {
            m_error =
                std::string(m_compressed ? "truncated or corrupt gzip data: " : "read error: ") +
                (message != nullptr ? message : "unknown");
        }
        m_eof = true;
        return false;
    }
    m_end += static_cast<std::size_t>(got);
    return true;
}

std::string_view LineReader::emit(std::size_t line_end, std::size_t consumed) {
    std::string_view line(m_buffer.data() + m_begin, line_end - m_begin);
    m_offset += consumed + m_skipped;
    m_skipped = 0;
    m_begin += consumed;
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    ++m_line_number;
    return line;
}

bool LineReader::next(std::string_view& line) {
    m_too_long = false;
    std::size_t scanned = 0; // bytes after m_begin known to hold no newline
    for (;;) {
        const char* from = m_buffer.data() + m_begin + scanned;
        const void* found = std::memchr(from, '\n', m_end - m_begin - scanned);
        if (found != nullptr) {
            const auto newline =
                static_cast<std::size_t>(static_cast<const char*>(found) - m_buffer.data());
            std::size_t line_end = newline;
            if (line_end - m_begin > max_line_bytes) {
                m_too_long = true;
                line_end = m_begin + max_line_bytes;
            }
            line = emit(line_end, newline + 1 - m_begin);
            return true;
        }
        scanned = m_end - m_begin;
        if (scanned >= max_line_bytes) {
            // Keep the first max_line_bytes; the rest of the line is dropped.
            m_too_long = true;
            m_skipped += scanned - max_line_bytes;
            m_end = m_begin + max_line_bytes;
            scanned = max_line_bytes;
        }
        if (!fill()) {
            if (m_end > m_begin) { // a last line without a newline
                line = emit(m_end, m_end - m_begin);
                m_unterminated = true;
                return true;
            }
            return false;
        }
        scanned = std::min(scanned, m_end - m_begin);
    }
}

} // namespace analytics::input
