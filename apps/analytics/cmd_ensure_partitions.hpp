#pragma once

#include "command.hpp"

namespace analytics::app {

// analytics ensure-partitions: create the monthly partitions ahead of time.
class EnsurePartitionsCommand : public Command {
  public:
    std::string name() const override { return "ensure-partitions"; }

    std::string description() const override {
        return "Create the monthly partitions of every partitioned table";
    }

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

  private:
    bool m_dry_run = false;
};

} // namespace analytics::app
