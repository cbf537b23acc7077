#include <analytics/util/log.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace analytics::log {

namespace {

struct State {
    Level threshold = Level::warn;
    Format format = Format::text;
    std::string origin = "analytics";
    std::mutex mutex;
};

State& state() {
    static State s;
    return s;
}

const char* level_name(Level level) {
    switch (level) {
    case Level::error:
        return "error";
    case Level::warn:
        return "warning";
    case Level::info:
        return "info";
    case Level::debug:
        return "debug";
    }
    return "info";
}

std::string utc_now_iso() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto secs = system_clock::to_time_t(now);
    const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(millis));
    return buf;
}

} // namespace

void configure(Level threshold, Format format, std::string program_and_command) {
    auto& s = state();
    std::lock_guard<std::mutex> lock{s.mutex};
    s.threshold = threshold;
    s.format = format;
    s.origin = std::move(program_and_command);
}

Level threshold() noexcept {
    return state().threshold;
}

bool enabled(Level level) noexcept {
    return level <= state().threshold;
}

void write(Level level, std::string_view message) {
    auto& s = state();
    if (level > s.threshold) {
        return;
    }
    std::string line;
    if (s.format == Format::json) {
        nlohmann::ordered_json j;
        j["ts"] = utc_now_iso();
        j["level"] = level_name(level);
        j["origin"] = s.origin;
        j["msg"] = std::string{message};
        line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
        line = s.origin;
        line += ": ";
        if (level != Level::info) {
            line += level_name(level);
            line += ": ";
        }
        line += message;
    }
    line += '\n';
    std::lock_guard<std::mutex> lock{s.mutex};
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
}

} // namespace analytics::log
