#pragma once

#include "command.hpp"

namespace analytics::app {

// analytics size-report: sizes of every table and partition.
class SizeReportCommand : public Command {
  public:
    using Command::Command;

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

  private:
    bool m_exact = false;
    bool m_csv = false;
    bool m_per_node = false;
};

} // namespace analytics::app
