#pragma once

#include "command.hpp"

namespace analytics::app {

// analytics config show|check: the effective configuration.
class ConfigCommand : public Command {
  public:
    using Command::Command;

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

  private:
    std::string m_action;
};

} // namespace analytics::app
