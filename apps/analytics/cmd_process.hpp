#pragma once

#include "command.hpp"
#include "common_options.hpp"

namespace analytics::app {

// analytics process: drain the OpenTelemetry buffer, or --reprocess stored rows.
class ProcessCommand : public Command,
                       public WithDryRun,
                       public WithBatchSize,
                       public WithDayRange {
  public:
    using Command::Command;

    void add_options(CLI::App& app) override;
    void validate() override;
    int run(Context& context) override;

  private:
    bool m_reprocess = false;
    std::string m_app;
};

} // namespace analytics::app
