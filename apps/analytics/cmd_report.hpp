#pragma once

#include "command.hpp"

namespace analytics::app {

// analytics report: usage tables and charts from the rollups.
class ReportCommand : public Command {
  public:
    std::string name() const override { return "report"; }

    std::string description() const override {
        return "Show top layers, services, organisations, users, agents (terminal or HTML)";
    }

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

  private:
    std::string m_from;
    std::string m_to;
    int m_top = 10;
    std::string m_html;
};

} // namespace analytics::app
