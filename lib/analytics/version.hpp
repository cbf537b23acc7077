#pragma once

namespace analytics {

// "0.1.0"
extern const char* const version;
// `git describe --always --dirty` at configure time, or "unknown".
extern const char* const git_revision;

} // namespace analytics
