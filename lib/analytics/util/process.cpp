#include <analytics/util/process.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace analytics {

namespace {

std::vector<char*> to_argv(const std::vector<std::string>& args) {
    std::vector<char*> out;
    out.reserve(args.size() + 1);
    for (const auto& a : args) {
        out.push_back(const_cast<char*>(a.c_str()));
    }
    out.push_back(nullptr);
    return out;
}

} // namespace

std::optional<RunAs> find_user(const std::string& name) {
    struct passwd pw {};
    struct passwd* result = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwnam_r(name.c_str(), &pw, buffer.data(), buffer.size(), &result) != 0 ||
        result == nullptr) {
        return std::nullopt;
    }
    return RunAs{name, pw.pw_uid, pw.pw_gid};
}

ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::optional<RunAs>& run_as) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        throw std::system_error(errno, std::generic_category(), "pipe");
    }
    auto args = to_argv(argv);
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int err = errno;
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        throw std::system_error(err, std::generic_category(), "fork");
    }
    if (pid == 0) {
        // Child: only async-signal-safe calls from here on.
        ::setsid();
        ::dup2(pipe_fds[1], STDOUT_FILENO);
        ::dup2(pipe_fds[1], STDERR_FILENO);
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            ::dup2(devnull, STDIN_FILENO);
        }
        if (run_as) {
            if (::setgroups(0, nullptr) != 0 || ::setgid(run_as->gid) != 0 ||
                ::setuid(run_as->uid) != 0) {
                const char msg[] = "cannot switch to the server user\n";
                (void)!::write(STDERR_FILENO, msg, sizeof msg - 1);
                ::_exit(126);
            }
        }
        ::execv(args[0], args.data());
        const char msg[] = "cannot execute program\n";
        (void)!::write(STDERR_FILENO, msg, sizeof msg - 1);
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    ProcessResult result;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (n > 0) {
            result.output.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            break;
        }
    }
    ::close(pipe_fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "waitpid");
        }
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

void exec_process(const std::vector<std::string>& argv, const std::vector<std::string>& set_env) {
    for (const auto& assignment : set_env) {
        const auto eq = assignment.find('=');
        ::setenv(assignment.substr(0, eq).c_str(), assignment.substr(eq + 1).c_str(), 1);
    }
    auto args = to_argv(argv);
    ::execvp(args[0], args.data());
    throw std::system_error(errno, std::generic_category(), "cannot run " + argv.front());
}

FileLock::FileLock(const std::string& path) {
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        throw std::system_error(errno, std::generic_category(), "cannot open lock file " + path);
    }
    while (::flock(m_fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            const int err = errno;
            ::close(m_fd);
            throw std::system_error(err, std::generic_category(), "cannot lock " + path);
        }
    }
}

FileLock::~FileLock() {
    if (m_fd >= 0) {
        ::close(m_fd); // closing releases the flock
    }
}

} // namespace analytics
