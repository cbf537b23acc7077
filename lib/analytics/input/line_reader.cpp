#include <analytics/input/line_reader.hpp>
#include <analytics/util/errors.hpp>

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace analytics::input {

namespace {

constexpr std::size_t chunk_bytes = 1u << 20;

gzFile as_gz(void* file) {
    return static_cast<gzFile>(file);
}

z_stream* as_z(void* stream) {
    return static_cast<z_stream*>(stream);
}

bool gzip_magic(const char* bytes) {
    return static_cast<unsigned char>(bytes[0]) == 0x1f &&
           static_cast<unsigned char>(bytes[1]) == 0x8b;
}

} // namespace

bool LineReader::is_stream(const std::string& path) {
    struct stat st {};

    const int status = path == "-" ? ::fstat(STDIN_FILENO, &st) : ::stat(path.c_str(), &st);
    return status == 0 && !S_ISREG(st.st_mode);
}

LineReader::LineReader(const std::string& path, Mode mode) : m_mode(mode), m_path(path) {
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
    if (mode == Mode::live) {
        struct stat st {};

        m_regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
        m_fd = fd;
        m_buffer.resize(chunk_bytes);
        return;
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
    if (m_inflate != nullptr) {
        inflateEnd(as_z(m_inflate));
        delete as_z(m_inflate);
    }
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

std::uint64_t LineReader::raw_offset() const noexcept {
    if (m_mode == Mode::live) {
        return m_raw_total;
    }
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

// Inflates what m_raw holds into m_buffer (up to `room` bytes); members
// follow each other, bytes after the last one are ignored (as gzread does).
bool LineReader::inflate_into(std::size_t room) {
    z_stream& zs = *as_z(m_inflate);
    while (m_raw_begin < m_raw.size()) {
        if (!m_in_member) {
            if (m_raw.size() - m_raw_begin < 2) {
                break; // the next member's header is not all there yet
            }
            if (!gzip_magic(m_raw.data() + m_raw_begin)) {
                m_raw_begin = m_raw.size(); // trailing garbage
                break;
            }
            inflateReset(&zs);
            m_in_member = true;
        }
        zs.next_in = reinterpret_cast<Bytef*>(m_raw.data() + m_raw_begin);
        zs.avail_in = static_cast<uInt>(m_raw.size() - m_raw_begin);
        zs.next_out = reinterpret_cast<Bytef*>(m_buffer.data() + m_end);
        zs.avail_out = static_cast<uInt>(room);
        const int status = ::inflate(&zs, Z_NO_FLUSH);
        const std::size_t produced = room - zs.avail_out;
        m_raw_begin = m_raw.size() - zs.avail_in;
        m_end += produced;
        room -= produced;
        if (status == Z_STREAM_END) {
            m_in_member = false;
        } else if (status != Z_OK && status != Z_BUF_ERROR) {
            m_error = std::string("truncated or corrupt gzip data: ") +
                      (zs.msg != nullptr ? zs.msg : "invalid data");
            m_eof = true;
            return produced > 0;
        }
        if (produced > 0) {
            return true;
        }
        if (status == Z_BUF_ERROR || room == 0) {
            break;
        }
    }
    if (m_raw_begin == m_raw.size()) {
        m_raw.resize(0);
        m_raw_begin = 0;
    }
    return false;
}

LineReader::Fill LineReader::fill_live(int wait_ms) {
    if (m_eof) {
        return Fill::end;
    }
    if (m_begin > 0) {
        std::memmove(m_buffer.data(), m_buffer.data() + m_begin, m_end - m_begin);
        m_end -= m_begin;
        m_begin = 0;
    }
    if (m_end == m_buffer.size()) {
        m_buffer.resize(std::min(m_buffer.size() * 2, max_line_bytes + chunk_bytes));
    }
    const std::size_t room = std::min(m_buffer.size() - m_end, chunk_bytes * 4);
    if (m_inflate != nullptr && inflate_into(room)) {
        return Fill::data;
    }
    if (!m_regular) {
        pollfd ready{m_fd, POLLIN, 0};
        const int status = ::poll(&ready, 1, wait_ms);
        if (status == 0 || (status < 0 && errno == EINTR)) {
            return Fill::idle;
        }
    }
    // Until the first bytes tell whether the input is gzip, and while it
    // is, raw bytes go to m_raw; plain ones straight to the line buffer.
    const bool plain = m_probed && !m_compressed;
    char* into = nullptr;
    std::size_t want = room;
    if (plain) {
        into = m_buffer.data() + m_end;
    } else {
        const std::size_t kept = m_raw.size();
        m_raw.resize(kept + chunk_bytes);
        into = m_raw.data() + kept;
        want = chunk_bytes;
    }
    ssize_t got = ::read(m_fd, into, want);
    const int read_errno = errno;
    if (!plain) {
        m_raw.resize(m_raw.size() - chunk_bytes +
                     static_cast<std::size_t>(std::max<ssize_t>(got, 0)));
    }
    if (got < 0) {
        if (read_errno == EINTR || read_errno == EAGAIN) {
            return Fill::idle;
        }
        m_error = std::string("read error: ") + std::strerror(read_errno);
        m_eof = true;
        return Fill::end;
    }
    m_raw_total += static_cast<std::uint64_t>(got);
    if (got == 0 && m_regular) {
        return Fill::idle; // the file may grow
    }
    if (!m_probed && (m_raw.size() >= 2 || got == 0)) {
        m_probed = true;
        m_compressed = m_raw.size() >= 2 && gzip_magic(m_raw.data());
        if (m_compressed) {
            auto* zs = new z_stream{};
            if (inflateInit2(zs, 15 + 16) != Z_OK) {
                delete zs;
                throw InputError("cannot read " + m_path + ": out of memory");
            }
            m_inflate = zs;
            m_in_member = true;
        } else {
            std::memcpy(m_buffer.data() + m_end, m_raw.data(), m_raw.size());
            m_end += m_raw.size();
            m_raw.resize(0);
            m_raw_begin = 0;
        }
    }
    if (got == 0) { // the end of a stream
        if (m_compressed && m_in_member && m_raw.size() != 0) {
            inflate_into(room);
        }
        if (m_compressed && m_in_member) {
            m_error = "truncated or corrupt gzip data: unexpected end of file";
        }
        m_eof = true;
        return m_end > m_begin ? Fill::data : Fill::end;
    }
    if (plain) {
        m_end += static_cast<std::size_t>(got);
        return Fill::data;
    }
    if (m_compressed) {
        inflate_into(room);
    }
    return Fill::data; // maybe nothing new yet: the caller looks again
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
    return poll(line, -1) == Next::line;
}

LineReader::Next LineReader::poll(std::string_view& line, int wait_ms) {
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
            return Next::line;
        }
        scanned = m_end - m_begin;
        if (scanned >= max_line_bytes) {
            // Keep the first max_line_bytes; the rest of the line is dropped.
            m_too_long = true;
            m_skipped += scanned - max_line_bytes;
            m_end = m_begin + max_line_bytes;
            scanned = max_line_bytes;
        }
        Fill filled = Fill::end;
        if (m_mode == Mode::whole) {
            filled = fill() ? Fill::data : Fill::end;
        } else {
            filled = fill_live(wait_ms);
            if (filled == Fill::idle && wait_ms < 0 && !m_regular) {
                continue; // wait for ever
            }
        }
        if (filled == Fill::idle) {
            return Next::idle;
        }
        if (filled == Fill::end) {
            if (m_end > m_begin) { // a last line without a newline
                line = emit(m_end, m_end - m_begin);
                m_unterminated = true;
                return Next::line;
            }
            return Next::end;
        }
        scanned = std::min(scanned, m_end - m_begin);
    }
}

} // namespace analytics::input
