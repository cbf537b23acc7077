#pragma once

// Prometheus textfile-collector output (node_exporter), written atomically:
// a temporary file in the same directory, fsync, rename.

#include <string>
#include <vector>

namespace analytics {

class MetricsFile {
  public:
    explicit MetricsFile(std::string command) : m_command(std::move(command)) {}

    // A gauge sample labelled {command="<command>"} plus 'extra_labels'
    // (already formatted: key="value",...).
    void gauge(const std::string& name, const std::string& help, double value,
               const std::string& extra_labels = "");

    // The run's standard metrics: last run time, duration, exit code, and the
    // last success time (carried over from 'path' when this run failed).
    void add_run_metrics(double started_at, double duration_seconds, int exit_code,
                         const std::string& path);

    // Prometheus text exposition format.
    std::string render() const;

    // False, writing nothing, when the directory of 'path' does not exist:
    // node_exporter's textfile collector, which creates it, is not installed,
    // so nobody would read the file. Throws std::system_error when the file
    // cannot be written otherwise (a directory refused, a full disk).
    bool write(const std::string& path) const;

  private:
    struct Sample {
        std::string name;
        std::string help;
        std::string labels;
        double value;
    };

    std::string m_command;
    std::vector<Sample> m_samples;
};

} // namespace analytics
