#pragma once

// Writes a whole file so that readers see the old or the new content, never
// a part: a temporary file in the same directory, fsync, rename. What PATH
// names decides how (util/output_path.hpp): "-" writes to standard output, a
// device or FIFO is written in place, a symbolic link's target is replaced.

#include <string>
#include <string_view>

namespace analytics {

// Throws std::system_error naming the file.
void write_file_atomically(const std::string& path, std::string_view text);

} // namespace analytics
