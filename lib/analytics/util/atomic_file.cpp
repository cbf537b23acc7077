#include <analytics/util/atomic_file.hpp>
#include <analytics/util/output_path.hpp>

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <system_error>
#include <unistd.h>

namespace analytics {

namespace {

// Returns 0, or the errno of the failed write.
int write_all(int fd, std::string_view text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        done += static_cast<std::size_t>(n);
    }
    return 0;
}

} // namespace

void write_file_atomically(const std::string& requested, std::string_view text) {
    const OutputPath output = resolve_output_path(requested);
    if (output.kind == OutputPath::Kind::standard_output) {
        if (const int err = write_all(STDOUT_FILENO, text); err != 0) {
            throw std::system_error(err, std::generic_category(), "cannot write to stdout");
        }
        return;
    }
    const std::string& path = output.path;
    if (output.kind == OutputPath::Kind::in_place) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        const int err = fd < 0 ? errno : write_all(fd, text);
        if (fd >= 0 && ::close(fd) != 0 && err == 0) {
            throw std::system_error(errno, std::generic_category(), "cannot write " + requested);
        }
        if (err != 0) {
            throw std::system_error(err, std::generic_category(), "cannot write " + requested);
        }
        return;
    }
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(), "cannot write " + tmp);
    }
    if (const int err = write_all(fd, text); err != 0) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw std::system_error(err, std::generic_category(), "cannot write " + tmp);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw std::system_error(err, std::generic_category(), "cannot write " + tmp);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw std::system_error(err, std::generic_category(), "cannot rename to " + path);
    }
}

} // namespace analytics
