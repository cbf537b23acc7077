// The registry: every subcommand of commands.def, in its order. Help, man
// pages and completions all derive from it.

#include "command.hpp"

#include <command_headers.hpp> // generated: the header of every command in commands.def

namespace analytics::app {

std::vector<CommandEntry> make_commands() {
    std::vector<CommandEntry> commands;
#define ANALYTICS_COMMAND(name, type, file, group, description)                                    \
    commands.push_back({CommandGroup::group, std::make_unique<type>(name, description)});
#include "commands.def"
#undef ANALYTICS_COMMAND
    return commands;
}

} // namespace analytics::app
