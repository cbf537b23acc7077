#pragma once

// A one-line progress display on stderr, for terminals only (SPEC §2:
// progress bars only when stderr is a TTY), redrawn at most 5 times a second.

#include <analytics/ingest/pipeline.hpp>

#include <chrono>
#include <string>

namespace analytics::app {

class ProgressBar {
  public:
    // mode: "auto" (when stderr is a terminal), "always" or "never".
    explicit ProgressBar(const std::string& mode);

    bool enabled() const noexcept { return m_enabled; }

    void update(const ingest::Progress& progress);

  private:
    bool m_enabled = false;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last;
    std::size_t m_width = 0; // of the line drawn last
};

} // namespace analytics::app
