#pragma once

#include "command.hpp"

namespace analytics::app {

// analytics rollup: compute the rollup tables for completed periods.
class RollupCommand : public Command {
  public:
    std::string name() const override { return "rollup"; }

    std::string description() const override {
        return "Roll completed days up into the summary tables";
    }

    void add_options(CLI::App& app) override;
    void validate() override;
    int run(Context& context) override;

  private:
    std::string m_from;
    std::string m_to;
    std::string m_job;
    bool m_dry_run = false;
};

} // namespace analytics::app
