#pragma once

#include "command.hpp"
#include "common_options.hpp"

#include <analytics/report/report.hpp>

namespace analytics::app {

// analytics report: usage tables and charts from the rollups.
class ReportCommand : public Command, public WithDayRange {
  public:
    using Command::Command;

    void add_options(CLI::App& app) override;
    void validate() override;
    int run(Context& context) override;

  private:
    int m_top = 10;
    std::string m_html;
    report::Filters m_filters;
};

} // namespace analytics::app
