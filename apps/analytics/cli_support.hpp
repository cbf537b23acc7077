#pragma once

// Shared command helpers: the global option group, options with a fixed set
// of values (which completions offer), and how a run's summary is written.

#include "command.hpp"

#include <map>
#include <ostream>
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

// Writes a run's summary on out: one JSON object with --json; else its text,
// except that -q keeps a successful run silent (cron mails whatever a job
// prints) while the summary of a failed run still says what went wrong.
template <typename Summary>
void write_summary(const Context& context, std::ostream& out, const Summary& summary,
                   bool failed = false) {
    if (context.global.json) {
        out << summary.to_json() << '\n';
    } else if (!context.global.quiet || failed) {
        out << summary.to_text();
    }
    out.flush();
}

} // namespace analytics::app
