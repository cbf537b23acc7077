#pragma once

#include "command.hpp"
#include "common_options.hpp"

namespace analytics::app {

// analytics ensure-partitions: create the monthly partitions ahead of time.
class EnsurePartitionsCommand : public Command, public WithDryRun {
  public:
    using Command::Command;

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

  private:
};

} // namespace analytics::app
