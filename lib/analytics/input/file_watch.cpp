#include <analytics/input/file_watch.hpp>
#include <analytics/input/inputs.hpp>

#include <algorithm>
#include <glob.h>
#include <map>
#include <sys/stat.h>

namespace analytics::input {

std::vector<WatchedFile> watch_files(const std::vector<std::string>& patterns) {
    std::vector<std::string> paths;
    for (const auto& pattern : patterns) {
        glob_t result{};
        if (::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &result) == 0) {
            std::vector<std::string> matches(result.gl_pathv, result.gl_pathv + result.gl_pathc);
            std::sort(matches.begin(), matches.end());
            paths.insert(paths.end(), matches.begin(), matches.end());
        }
        globfree(&result);
    }
    std::vector<WatchedFile> files;
    std::map<FileKey, bool> seen;
    for (auto& path : order_rotated(std::move(paths))) {
        struct stat st {};

        if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            continue; // gone since the glob, or not a log
        }
        const FileKey key{static_cast<std::uint64_t>(st.st_dev),
                          static_cast<std::uint64_t>(st.st_ino)};
        if (seen.emplace(key, true).second) {
            files.push_back({std::move(path), key, static_cast<std::uint64_t>(st.st_size)});
        }
    }
    return files;
}

} // namespace analytics::input
