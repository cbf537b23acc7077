#pragma once

#include "command.hpp"
#include "common_options.hpp"

namespace analytics::app {

// analytics ingest: read raw logs, parse, enrich, classify, load (or --output).
class IngestCommand : public Command, public WithDryRun, public WithBatchSize {
  public:
    using Command::Command;

    void add_options(CLI::App& app) override;
    void validate() override;
    int run(Context& context) override;

  private:
    std::vector<std::string> m_inputs;
    std::string m_format = "auto";
    std::string m_output;
    std::string m_rejects;
    double m_max_reject_ratio = -1;
    std::vector<std::string> m_extra;
    std::vector<std::pair<std::string, std::string>> m_extra_pairs;
    std::string m_source_name;
    std::string m_progress = "auto";
    bool m_force = false;
    bool m_follow = false;
    double m_commit_interval = 5;
    unsigned m_jobs = 0; // 0: not given (the cores this process may use)
};

} // namespace analytics::app
