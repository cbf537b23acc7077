#pragma once

// The files `ingest --follow` reads: what its patterns (paths and globs)
// match now, each known by its inode, so that a log renamed by rotation is
// still the same file and a new one at the old name is another.

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace analytics::input {

struct FileKey {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;

    bool operator<(const FileKey& other) const {
        return std::tie(device, inode) < std::tie(other.device, other.inode);
    }

    bool operator==(const FileKey& other) const {
        return device == other.device && inode == other.inode;
    }
};

struct WatchedFile {
    std::string path;
    FileKey key;
    std::uint64_t size = 0;
};

// The regular files the patterns match now, rotated sets oldest first
// (inputs.hpp order_rotated). A pattern that matches nothing yet is no
// error: a service may start before the log exists.
std::vector<WatchedFile> watch_files(const std::vector<std::string>& patterns);

} // namespace analytics::input
