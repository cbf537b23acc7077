#pragma once

// One class per subcommand (osmium-tool's model): declare options, validate
// and convert the parsed values (no I/O), then run. Commands are listed in
// commands.def.

#include <analytics/config/config.hpp>
#include <analytics/util/metrics_file.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace analytics::app {

// Options every command accepts (SPEC §2).
struct GlobalOptions {
    std::string config_path;
    std::string db;
    int verbose = 0;
    bool quiet = false;
    std::string log_format = "text";
    bool json = false;
    std::string metrics_file;
    std::string now; // --now, for reproducible tests
};

// What a command's run() works with.
struct Context {
    const GlobalOptions& global;
    const config::Config& config;
    MetricsFile& metrics;
    std::ostream& out; // data only: logs go to stderr
    // "Now" for every today / now decision: --now, ANALYTICS_NOW, else the clock.
    std::int64_t now_us = 0; // microseconds since the epoch, UTC
};

class Command {
  public:
    // 'name' and 'description' as commands.def gives them.
    Command(std::string name, std::string description)
        : m_name(std::move(name)), m_description(std::move(description)) {}

    virtual ~Command() = default;

    const std::string& name() const noexcept { return m_name; }

    const std::string& description() const noexcept { return m_description; }

    // Declares the subcommand's own options on 'app'.
    virtual void add_options(CLI::App& app) = 0;

    // Checks option combinations and turns option texts into typed values
    // after parsing; throws UsageError. No I/O.
    virtual void validate() {}

    // Does the work; returns the exit status (0 on success) or throws.
    virtual int run(Context& context) = 0;

    // Commands that never read the configuration file (help-like tools).
    virtual bool needs_config() const { return true; }

  private:
    std::string m_name;
    std::string m_description;
};

// Where 'analytics --help' lists a command (commands.def).
enum class CommandGroup {
    core,       // "Commands": SPEC §2's six
    supporting, // "Supporting commands"
    hidden      // not listed, no man page (completions)
};

struct CommandEntry {
    CommandGroup group;
    std::unique_ptr<Command> command;
};

// Every command of commands.def, in the order 'analytics --help' lists them.
std::vector<CommandEntry> make_commands();

} // namespace analytics::app
