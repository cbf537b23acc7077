// The registry: every subcommand, once. Help, man pages and completions all
// derive from this list (and CMake's ANALYTICS_COMMANDS, checked by tests).

#include "cmd_completions.hpp"
#include "cmd_config.hpp"
#include "cmd_db.hpp"
#include "cmd_ensure_partitions.hpp"
#include "cmd_generate.hpp"
#include "cmd_ingest.hpp"
#include "cmd_maintain.hpp"
#include "cmd_migrate.hpp"
#include "cmd_process.hpp"
#include "cmd_report.hpp"
#include "cmd_rollup.hpp"
#include "cmd_size_report.hpp"

namespace analytics::app {

std::vector<std::unique_ptr<Command>> make_commands() {
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(std::make_unique<IngestCommand>());
    commands.push_back(std::make_unique<ProcessCommand>());
    commands.push_back(std::make_unique<RollupCommand>());
    commands.push_back(std::make_unique<MaintainCommand>());
    commands.push_back(std::make_unique<SizeReportCommand>());
    commands.push_back(std::make_unique<EnsurePartitionsCommand>());
    commands.push_back(std::make_unique<MigrateCommand>());
    commands.push_back(std::make_unique<DbCommand>());
    commands.push_back(std::make_unique<GenerateCommand>());
    commands.push_back(std::make_unique<ReportCommand>());
    commands.push_back(std::make_unique<ConfigCommand>());
    commands.push_back(std::make_unique<CompletionsCommand>());
    return commands;
}

} // namespace analytics::app
