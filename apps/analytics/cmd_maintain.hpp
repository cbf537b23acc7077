#pragma once

#include "command.hpp"

namespace analytics::app {

// analytics maintain: the nightly job (partitions, buffer, rollups, retention).
class MaintainCommand : public Command {
  public:
    std::string name() const override { return "maintain"; }

    std::string description() const override {
        return "Nightly job: ensure partitions, roll up, apply retention";
    }

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

  private:
    bool m_wait = false;
    bool m_dry_run = false;
    bool m_process_buffer = false;
};

} // namespace analytics::app
