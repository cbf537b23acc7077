#pragma once

// What identifies an input across runs, whatever its name (SPEC §2): rotation
// renames a log and compresses it, so identity comes from content.

#include <cstdint>
#include <string>

namespace analytics::input {

struct FileFacts {
    // Size, and hashes of the first and last 64 KiB of the raw (possibly
    // compressed) bytes: equal signatures mean the same file, unchanged.
    std::string signature;
    bool compressed = false;
    std::uint64_t raw_size = 0;
    std::int64_t modified_s = 0; // mtime, seconds since the epoch
};

// Throws InputError when the file cannot be read.
FileFacts file_facts(const std::string& path);

// The identity of an input's content: a hash of its first line (at most
// 4 KiB of it), uncompressed. Empty when the input holds no line yet.
// `settled`: empty too while the first line is still being written (no
// newline yet and shorter than what the hash takes), for a growing file.
std::string content_identity(const std::string& path, bool settled = false);

} // namespace analytics::input
