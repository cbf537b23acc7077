#pragma once

// Shared option helpers: the global option group, options with a fixed set of
// values (which completions offer), and the not-implemented marker.

#include "command.hpp"

#include <map>
#include <string>
#include <vector>

namespace analytics::app {

// Adds the global options (SPEC §2) to 'app' in the "Global options" group.
void add_global_options(CLI::App& app, GlobalOptions& options);

// An option restricted to 'choices'; the choices are recorded for completions.
CLI::Option* add_choice_option(CLI::App& app, const std::string& flags, std::string& value,
                               const std::vector<std::string>& choices,
                               const std::string& description);

// "db psql" for that subcommand's CLI::App; "" for the top level.
std::string command_path(const CLI::App& app);

// Choices recorded by add_choice_option, keyed by "<command path> --long-name".
const std::map<std::string, std::vector<std::string>>& recorded_choices();

// The input formats of 'ingest' and 'generate'.
const std::vector<std::string>& input_formats();

// The rollup jobs.
const std::vector<std::string>& rollup_jobs();

} // namespace analytics::app
