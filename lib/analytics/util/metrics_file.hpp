#pragma once

// Prometheus textfile-collector output (node_exporter), written atomically:
// a temporary file in the same directory, fsync, rename. The same text is
// what a Pushgateway receives (util/pushgateway).

#include <string>
#include <string_view>
#include <vector>

namespace analytics {

// geOrchestra's analytics-cli name for a command, as its metrics' command
// label: "buffer2db" for process, "file2db" for ingest, else the name itself.
std::string_view georchestra_command_name(std::string_view command);

class MetricsFile {
  public:
    explicit MetricsFile(std::string command) : m_command(std::move(command)) {}

    // Also write geOrchestra's job_duration_seconds (a summary) and
    // job_last_success_unixtime in add_run_metrics, so that its alerting rules
    // keep matching (metrics.georchestra_names).
    void set_georchestra_names(bool on) noexcept { m_georchestra_names = on; }

    // A gauge sample labelled {command="<command>"} plus 'extra_labels'
    // (already formatted: key="value",...).
    void gauge(const std::string& name, const std::string& help, double value,
               const std::string& extra_labels = "");

    // The run's standard metrics: last run time, duration, exit code, and the
    // last success time (carried over from 'path' when this run failed).
    void add_run_metrics(double started_at, double duration_seconds, int exit_code,
                         const std::string& path);

    // Prometheus text exposition format. Without the last-success samples for
    // a push that must leave the Pushgateway's earlier ones in place.
    std::string render(bool with_last_success = true) const;

    // False, writing nothing, when the directory of 'path' does not exist:
    // node_exporter's textfile collector, which creates it, is not installed,
    // so nobody would read the file. Throws std::system_error when the file
    // cannot be written otherwise (a directory refused, a full disk).
    bool write(const std::string& path) const;

  private:
    struct Sample {
        std::string family; // the name HELP and TYPE lines give
        std::string suffix; // "_count", "_sum" of a summary; empty for a gauge
        std::string help;
        const char* type;
        std::string labels;
        double value;
        bool last_success;
    };

    std::string m_command;
    bool m_georchestra_names = false;
    std::vector<Sample> m_samples;
};

} // namespace analytics
