#pragma once

// Turns the command line's inputs (files, globs, "-") into the list of
// inputs to read, rotated sets oldest first.

#include <string>
#include <vector>

namespace analytics::input {

// Expands globs (no match is an error), checks that files exist and are
// regular files (InputError otherwise), and orders each rotated set
// oldest first: access.log.3.gz, access.log.2.gz, access.log.1, access.log;
// dated rotations (access.log-20251201.gz) by date, before the live file.
// Sets keep the order in which they first appear. No arguments means stdin.
std::vector<std::string> resolve_inputs(const std::vector<std::string>& arguments);

// Orders paths as above (exposed for tests).
std::vector<std::string> order_rotated(std::vector<std::string> paths);

} // namespace analytics::input
