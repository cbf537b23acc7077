#pragma once

#include "command.hpp"

namespace analytics::app {

// analytics db status|start|stop|path|psql: the embedded database, and psql.
class DbCommand : public Command {
  public:
    using Command::Command;

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

  private:
    int status(Context& context);
    int start(Context& context);
    int stop(Context& context);
    int path(Context& context);

    std::string m_action;
    std::vector<std::string> m_psql_args;
    CLI::App* m_psql = nullptr;
};

} // namespace analytics::app
