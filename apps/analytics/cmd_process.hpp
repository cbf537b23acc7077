#pragma once

#include "command.hpp"

namespace analytics::app {

// analytics process: drain the OpenTelemetry buffer, or --reprocess stored rows.
class ProcessCommand : public Command {
  public:
    std::string name() const override { return "process"; }

    std::string description() const override {
        return "Move OpenTelemetry buffer rows (written by Vector) into access_logs";
    }

    void add_options(CLI::App& app) override;
    void validate() override;
    int run(Context& context) override;

  private:
    bool m_reprocess = false;
    std::string m_from;
    std::string m_to;
    std::string m_app;
    int m_batch_size = 0;
    bool m_dry_run = false;
};

} // namespace analytics::app
