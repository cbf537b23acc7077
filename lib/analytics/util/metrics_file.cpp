#include <analytics/util/atomic_file.hpp>
#include <analytics/util/metrics_file.hpp>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>
#include <unistd.h>

namespace analytics {

namespace {

std::string format_value(double v) {
    if (std::isnan(v)) {
        return "NaN";
    }
    char buf[64];
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
    } else {
        std::snprintf(buf, sizeof buf, "%.6f", v);
    }
    return buf;
}

// The value of 'sample_prefix' in an existing metrics file, if any.
bool previous_value(const std::string& path, const std::string& sample_prefix, double& out) {
    std::ifstream in{path};
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, sample_prefix.size(), sample_prefix) == 0) {
            std::istringstream value{line.substr(sample_prefix.size())};
            value.imbue(std::locale::classic());
            return static_cast<bool>(value >> out);
        }
    }
    return false;
}

} // namespace

std::string_view georchestra_command_name(std::string_view command) {
    if (command == "process") {
        return "buffer2db";
    }
    if (command == "ingest") {
        return "file2db";
    }
    return command;
}

void MetricsFile::gauge(const std::string& name, const std::string& help, double value,
                        const std::string& extra_labels) {
    std::string labels = "command=\"" + m_command + "\"";
    if (!extra_labels.empty()) {
        labels += "," + extra_labels;
    }
    m_samples.push_back({name, "", help, "gauge", labels, value, false});
}

void MetricsFile::add_run_metrics(double started_at, double duration_seconds, int exit_code,
                                  const std::string& path) {
    gauge("analytics_last_run_timestamp_seconds", "When the last run started (Unix time).",
          started_at);
    gauge("analytics_run_duration_seconds", "How long the last run took.", duration_seconds);
    gauge("analytics_last_exit_code", "Exit status of the last run (0 is success).", exit_code);
    double last_success = 0;
    if (exit_code == 0) {
        last_success = started_at + duration_seconds;
    } else {
        const std::string prefix =
            "analytics_last_success_timestamp_seconds{command=\"" + m_command + "\"} ";
        if (!previous_value(path, prefix, last_success)) {
            last_success = 0;
        }
    }
    gauge("analytics_last_success_timestamp_seconds",
          "When a run last succeeded (Unix time, 0 if never).", last_success);
    m_samples.back().last_success = true;
    if (!m_georchestra_names) {
        return;
    }
    // The Python tool's prometheus_client Summary, one observation per process.
    const std::string labels =
        "command=\"" + std::string(georchestra_command_name(m_command)) + "\"";
    const char* duration_help = "How long the last run took (geOrchestra's name).";
    m_samples.push_back(
        {"job_duration_seconds", "_count", duration_help, "summary", labels, 1, false});
    m_samples.push_back({"job_duration_seconds", "_sum", duration_help, "summary", labels,
                         duration_seconds, false});
    m_samples.push_back({"job_last_success_unixtime", "",
                         "When a run last succeeded (Unix time, 0 if never; geOrchestra's name).",
                         "gauge", labels, last_success, true});
}

std::string MetricsFile::render(bool with_last_success) const {
    // The format wants each metric's samples in one group after its HELP and
    // TYPE lines (promtool and OpenMetrics parsers refuse interleaved ones),
    // while commands add them as they go: group by name, in first-seen order.
    std::string out;
    std::set<std::string> rendered;
    for (const auto& first : m_samples) {
        if ((first.last_success && !with_last_success) || !rendered.insert(first.family).second) {
            continue;
        }
        out += "# HELP " + first.family + " " + first.help + "\n";
        out += "# TYPE " + first.family + " " + first.type + "\n";
        for (const auto& s : m_samples) {
            if (s.family == first.family) {
                out += s.family + s.suffix + "{" + s.labels + "} " + format_value(s.value) + "\n";
            }
        }
    }
    return out;
}

bool MetricsFile::write(const std::string& path) const {
    const auto directory = std::filesystem::path{path}.parent_path();
    std::error_code error;
    if (!directory.empty() && !std::filesystem::exists(directory, error) && !error) {
        return false;
    }
    write_file_atomically(path, render());
    return true;
}

} // namespace analytics
