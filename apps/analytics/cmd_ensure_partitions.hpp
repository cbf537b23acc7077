#pragma once

#include "command.hpp"
#include "common_options.hpp"

namespace analytics::app {

// analytics ensure-partitions: create the monthly partitions ahead of time.
class EnsurePartitionsCommand : public Command, public WithDryRun {
  public:
    using Command::Command;

    std::string description() const override {
        return "Create the monthly partitions of every partitioned table";
    }

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

  private:
};

} // namespace analytics::app
