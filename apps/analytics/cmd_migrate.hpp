#pragma once

#include "command.hpp"
#include "common_options.hpp"

namespace analytics::app {

// analytics migrate: create or upgrade the schema.
class MigrateCommand : public Command, public WithDryRun {
  public:
    using Command::Command;

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

  private:
    int adopt(Context& context);

    bool m_adopt = false;
};

} // namespace analytics::app
