#include <analytics/ingest/record_builder.hpp>

namespace analytics::ingest {

namespace {

std::unique_ptr<enrich::UserAgentParser> user_agent_parser(const config::Config& config) {
    const std::string& regexes = config.user_agent.regexes_file;
    return regexes.empty() ? nullptr : std::make_unique<enrich::UserAgentParser>(regexes);
}

} // namespace

RecordBuilder::RecordBuilder(const config::Config& config,
                             std::vector<std::pair<std::string, std::string>> extras)
    : m_user_agents(user_agent_parser(config)), m_countries(enrich::country_database(config)),
      m_enricher(config, m_user_agents.get()) {
    m_enricher.set_extras(std::move(extras));
    m_enricher.set_countries(m_countries.get());
}

void RecordBuilder::move_warnings(RunSummary& summary) {
    for (const auto& [what, count] : m_warnings.counts) {
        summary.warnings[what] += count;
    }
    m_warnings.counts.clear();
}

} // namespace analytics::ingest
