#pragma once

// What an output option's PATH names, decided before anything is written, so
// that no output ever replaces what it should write into (issue 15): "-" is
// standard output; a character device, FIFO or socket (/dev/null, a terminal,
// a pipe) is written in place; a new path or a regular file is replaced
// atomically (a temporary file beside it, then a rename). A symbolic link is
// followed: the file it points to is replaced and the link stays. A directory
// or a dangling link is refused.

#include <string>

namespace analytics {

struct OutputPath {
    enum class Kind { standard_output, in_place, replace } kind = Kind::replace;
    std::string path; // the file to write or replace (a link resolved); empty for "-"
};

// Throws std::system_error naming the path when it cannot be an output.
OutputPath resolve_output_path(const std::string& path);

} // namespace analytics
