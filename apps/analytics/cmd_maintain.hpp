#pragma once

#include "command.hpp"
#include "common_options.hpp"

namespace analytics::app {

// analytics maintain: the nightly job (partitions, buffer, rollups, retention).
class MaintainCommand : public Command, public WithDryRun {
  public:
    using Command::Command;

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

  private:
    bool m_wait = false;
    bool m_process_buffer = false;
};

} // namespace analytics::app
