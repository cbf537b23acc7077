#pragma once

// Diagnostics on stderr, never stdout (stdout carries data). Text for people,
// JSON lines for log collectors.

#include <string>
#include <string_view>

namespace analytics::log {

enum class Level { error = 0, warn = 1, info = 2, debug = 3 };
enum class Format { text, json };

// Set once by the executable before any work starts.
void configure(Level threshold, Format format, std::string program_and_command);

Level threshold() noexcept;
bool enabled(Level level) noexcept;

void write(Level level, std::string_view message);

inline void error(std::string_view m) {
    write(Level::error, m);
}

inline void warn(std::string_view m) {
    write(Level::warn, m);
}

inline void info(std::string_view m) {
    write(Level::info, m);
}

inline void debug(std::string_view m) {
    write(Level::debug, m);
}

} // namespace analytics::log
