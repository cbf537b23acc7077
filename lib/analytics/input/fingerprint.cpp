#include <analytics/input/fingerprint.hpp>
#include <analytics/input/line_reader.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/hash.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace analytics::input {

namespace {

constexpr std::size_t sample_bytes = 64 * 1024;
constexpr std::size_t identity_bytes = 4096;

class Fd {
  public:
    explicit Fd(int fd) : m_fd(fd) {}

    ~Fd() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }

    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    int get() const noexcept { return m_fd; }

  private:
    int m_fd;
};

std::string read_at(int fd, std::uint64_t offset, std::size_t length, const std::string& path) {
    std::string data(length, '\0');
    std::size_t got = 0;
    while (got < length) {
        const ssize_t n =
            ::pread(fd, data.data() + got, length - got, static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throw InputError("cannot read " + path + ": " + std::strerror(errno));
        }
        if (n == 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    data.resize(got);
    return data;
}

std::string hex(std::uint64_t value) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

} // namespace

FileFacts file_facts(const std::string& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        throw InputError("cannot open " + path + ": " + std::strerror(errno));
    }

    struct stat st {};

    if (::fstat(fd.get(), &st) != 0) {
        throw InputError("cannot read " + path + ": " + std::strerror(errno));
    }
    FileFacts facts;
    facts.raw_size = static_cast<std::uint64_t>(st.st_size);
    facts.modified_s = static_cast<std::int64_t>(st.st_mtime);
    const std::string head = read_at(fd.get(), 0, sample_bytes, path);
    facts.compressed = head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
                       static_cast<unsigned char>(head[1]) == 0x8b;
    const std::uint64_t tail_from =
        facts.raw_size > sample_bytes ? facts.raw_size - sample_bytes : 0;
    const std::string tail = read_at(fd.get(), tail_from, sample_bytes, path);
    facts.signature = std::to_string(facts.raw_size) + ":" + hex(hash64(head)) + ":" +
                      hex(hash64(tail, facts.raw_size));
    return facts;
}

std::string content_identity(const std::string& path, bool settled) {
    LineReader reader(path);
    std::string_view line;
    if (!reader.next(line)) {
        return {};
    }
    if (settled && reader.unterminated() && line.size() < identity_bytes) {
        return {};
    }
    return "h:" + hex(hash64(line.substr(0, identity_bytes)));
}

} // namespace analytics::input
