#pragma once

#include "command.hpp"

namespace analytics::app {

// analytics completions bash|zsh|fish: shell completion scripts generated
// from the command-line definition itself, so they cannot drift from it.
// Hidden from --help; the scripts in completions/ are its output.
class CompletionsCommand : public Command {
  public:
    using Command::Command;

    void add_options(CLI::App& app) override;
    int run(Context& context) override;

    bool needs_config() const override { return false; }

  private:
    std::string m_shell;
    const CLI::App* m_root = nullptr;
};

} // namespace analytics::app
