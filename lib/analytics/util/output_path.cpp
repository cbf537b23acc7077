#include <analytics/util/output_path.hpp>

#include <climits>

#include <cerrno>
#include <cstdlib>
#include <sys/stat.h>
#include <system_error>

namespace analytics {

OutputPath resolve_output_path(const std::string& path) {
    OutputPath out;
    if (path == "-") {
        out.kind = OutputPath::Kind::standard_output;
        return out;
    }
    out.path = path;

    struct stat link_info {};

    if (::lstat(path.c_str(), &link_info) != 0) {
        if (errno == ENOENT) {
            return out; // a new file
        }
        throw std::system_error(errno, std::generic_category(), "cannot write " + path);
    }
    if (S_ISLNK(link_info.st_mode)) {
        char resolved[PATH_MAX];
        if (::realpath(path.c_str(), resolved) == nullptr) {
            throw std::system_error(errno, std::generic_category(),
                                    "cannot write " + path + " (a symbolic link to nowhere)");
        }
        out.path = resolved;
    }

    struct stat info {};

    if (::stat(out.path.c_str(), &info) != 0) {
        throw std::system_error(errno, std::generic_category(), "cannot write " + path);
    }
    if (S_ISDIR(info.st_mode)) {
        throw std::system_error(EISDIR, std::generic_category(), "cannot write " + path);
    }
    if (!S_ISREG(info.st_mode)) {
        out.kind = OutputPath::Kind::in_place;
    }
    return out;
}

} // namespace analytics
