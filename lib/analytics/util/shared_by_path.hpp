#pragma once

// One read-only object per file for the whole process, while anything holds
// it: what the --jobs workers share instead of each loading its own (the
// compiled user-agent regexes, the mapped GeoIP database).

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace analytics {

// The T made from `path` (T(path)), made once while any holder keeps it.
template <typename T>
std::shared_ptr<const T> shared_by_path(const std::string& path) {
    static std::mutex mutex;
    static std::map<std::string, std::weak_ptr<const T>> made;
    const std::lock_guard<std::mutex> lock(mutex);
    if (auto existing = made[path].lock()) {
        return existing;
    }
    auto fresh = std::make_shared<const T>(path);
    made[path] = fresh;
    return fresh;
}

} // namespace analytics
