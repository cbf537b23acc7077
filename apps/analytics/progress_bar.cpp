#include "progress_bar.hpp"

#include <analytics/util/text.hpp>

#include <cstdio>
#include <unistd.h>

namespace analytics::app {

ProgressBar::ProgressBar(const std::string& mode)
    : m_enabled(mode == "always" || (mode == "auto" && ::isatty(STDERR_FILENO) == 1)),
      m_start(std::chrono::steady_clock::now()), m_last(m_start) {}

void ProgressBar::update(const ingest::Progress& progress) {
    if (!m_enabled) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (progress.done) {
        if (m_width > 0) {
            std::fprintf(stderr, "\r%*s\r", static_cast<int>(m_width), "");
            std::fflush(stderr);
        }
        return;
    }
    if (now - m_last < std::chrono::milliseconds(200)) {
        return;
    }
    m_last = now;
    const double seconds = std::chrono::duration<double>(now - m_start).count();
    const auto rate = static_cast<std::int64_t>(
        seconds > 0 ? static_cast<double>(progress.lines) / seconds : 0.0);
    std::string line = progress.input;
    if (line.size() > 40) {
        line = "…" + line.substr(line.size() - 39);
    }
    if (progress.raw_bytes_total > 0) {
        const double share = static_cast<double>(progress.raw_bytes_read) /
                             static_cast<double>(progress.raw_bytes_total);
        const int filled = static_cast<int>(std::min(share, 1.0) * 20);
        line += " [" + std::string(static_cast<std::size_t>(filled), '#') +
                std::string(static_cast<std::size_t>(20 - filled), '.') + "] " +
                std::to_string(static_cast<int>(std::min(share, 1.0) * 100)) + "%";
    }
    line += "  " + with_thousands(static_cast<std::int64_t>(progress.lines)) + " lines, " +
            with_thousands(rate) + " lines/s";
    std::fprintf(stderr, "\r%-*s", static_cast<int>(m_width), line.c_str());
    std::fflush(stderr);
    m_width = std::max(m_width, line.size());
}

} // namespace analytics::app
