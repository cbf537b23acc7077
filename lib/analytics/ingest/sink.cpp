#include <analytics/ingest/sink.hpp>
#include <analytics/parse/event_json.hpp>
#include <analytics/record/access_json.hpp>
#include <analytics/util/errors.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace analytics::ingest {

namespace {
constexpr std::size_t flush_bytes = 1u << 20;
}

JsonLinesSink::JsonLinesSink(const std::string& path) : m_path(path) {
    if (path == "-") {
        m_fd = STDOUT_FILENO;
    } else {
        m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (m_fd < 0) {
            throw OutputError("cannot write " + path + ": " + std::strerror(errno));
        }
        m_owns_fd = true;
    }
    m_buffer.reserve(flush_bytes + 64 * 1024);
}

JsonLinesSink::~JsonLinesSink() {
    if (m_owns_fd) {
        ::close(m_fd);
    }
}

void JsonLinesSink::end_line() {
    m_buffer.push_back('\n');
    if (m_buffer.size() >= flush_bytes) {
        flush();
    }
}

void JsonLinesSink::flush() {
    std::size_t done = 0;
    while (done < m_buffer.size()) {
        const ssize_t written = ::write(m_fd, m_buffer.data() + done, m_buffer.size() - done);
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw OutputError("cannot write " + (m_path == "-" ? std::string("stdout") : m_path) +
                              ": " + std::strerror(errno));
        }
        done += static_cast<std::size_t>(written);
    }
    m_buffer.clear();
}

void JsonLinesSink::access(const record::AccessRecord& record) {
    record::append_json(m_buffer, record);
    end_line();
}

void JsonLinesSink::encode(const record::AccessRecord& record, std::string& out) const {
    out.clear();
    record::append_json(out, record);
}

void JsonLinesSink::access_encoded(std::int64_t, std::string_view encoded) {
    m_buffer.append(encoded);
    end_line();
}

void JsonLinesSink::search(const parse::SearchRow& row) {
    parse::append_json(m_buffer, row);
    end_line();
}

void JsonLinesSink::impression(const parse::ImpressionRow& row) {
    parse::append_json(m_buffer, row);
    end_line();
}

void JsonLinesSink::event(const parse::EventRow& row) {
    parse::append_json(m_buffer, row);
    end_line();
}

void JsonLinesSink::finish() {
    flush();
    if (m_owns_fd) {
        const int fd = m_fd;
        m_owns_fd = false;
        if (::close(fd) != 0) {
            throw OutputError("cannot write " + m_path + ": " + std::strerror(errno));
        }
    }
}

} // namespace analytics::ingest
