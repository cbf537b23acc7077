#pragma once

#include "command.hpp"
#include "common_options.hpp"

namespace analytics::app {

// analytics rollup: compute the rollup tables for completed periods.
class RollupCommand : public Command, public WithDryRun, public WithDayRange {
  public:
    using Command::Command;

    void add_options(CLI::App& app) override;
    void validate() override;
    int run(Context& context) override;

  private:
    std::string m_job;
};

} // namespace analytics::app
