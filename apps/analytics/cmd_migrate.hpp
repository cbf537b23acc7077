#pragma once

#include "command.hpp"

namespace analytics::app {

// analytics migrate: create or upgrade the schema.
class MigrateCommand : public Command {
  public:
    std::string name() const override { return "migrate"; }

    std::string description() const override {
        return "Create or upgrade the database schema (idempotent)";
    }

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

  private:
    bool m_dry_run = false;
};

} // namespace analytics::app
