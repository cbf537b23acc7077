#pragma once

#include "command.hpp"

namespace analytics::app {

// analytics generate: realistic synthetic logs for demos and benchmarks.
class GenerateCommand : public Command {
  public:
    using Command::Command;

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

  private:
    std::string m_format = "combined";
    std::string m_from;
    std::string m_to;
    double m_rate = 1000;
    unsigned long m_seed = 1;
    std::string m_output = "-";
};

} // namespace analytics::app
