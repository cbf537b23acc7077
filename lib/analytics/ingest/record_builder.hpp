#pragma once

// The one way to make access records: from the records a parser made of a
// line or a buffer row (ids from its content, then the derived fields), and
// from a stored row read back (reprocess: the derived fields again, with the
// current configuration). Writers (load/) only take finished records.

#include <analytics/config/config.hpp>
#include <analytics/enrich/enricher.hpp>
#include <analytics/enrich/user_agent.hpp>
#include <analytics/ingest/record_id.hpp>
#include <analytics/ingest/run_summary.hpp>
#include <analytics/parse/access_parser.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace analytics::ingest {

class RecordBuilder {
  public:
    // `extras`: the --extra fields set on every record. Throws ConfigError
    // when the user-agent regexes or the GeoIP database cannot be read.
    explicit RecordBuilder(const config::Config& config,
                           std::vector<std::pair<std::string, std::string>> extras = {});

    // A new input: identical lines are numbered from 0 again.
    void start_input() { m_occurrences.clear(); }

    // Inputs read in turns (ingest --follow) keep their own numbering: the
    // pipeline swaps each one's counter in for its turn.
    void swap_occurrences(OccurrenceCounter& other) { std::swap(m_occurrences, other); }

    // Numbers the records parsed from `line` (record_id.hpp), nothing more:
    // for a line loaded by an earlier run, so that the identical lines after
    // it get the numbers they had.
    void number(parse::ParsedBatch& batch, std::string_view line, std::uint64_t source = 0) {
        assign_ids(batch, line, m_occurrences, source);
    }

    // Numbers the records parsed from `line`, then finishes each one that
    // `admit(record)` accepts and hands it to `add(record)`.
    template <typename Admit, typename Add>
    void build(parse::ParsedBatch& batch, std::string_view line, std::uint64_t source,
               Admit&& admit, Add&& add) {
        number(batch, line, source);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            auto& item = batch[i];
            if (admit(std::as_const(item.record))) {
                m_enricher.enrich(item.record, item.extras, m_warnings);
                add(item.record);
            }
        }
    }

    // The same, every record accepted.
    template <typename Add>
    void build(parse::ParsedBatch& batch, std::string_view line, std::uint64_t source, Add&& add) {
        build(
            batch, line, source, [](const record::AccessRecord&) { return true; },
            std::forward<Add>(add));
    }

    // A stored row read back into `record`, its derived fields cleared:
    // computes them again.
    void rebuild(record::AccessRecord& record, record::RequestExtras& extras) {
        m_enricher.enrich(record, extras, m_warnings);
    }

    // Finishes a numbered record, its warnings counted in `warnings`
    // (ingest --jobs: a worker's warnings count once its record is admitted).
    void finish(record::AccessRecord& record, record::RequestExtras& extras,
                enrich::EnrichWarnings& warnings) {
        m_enricher.enrich(record, extras, warnings);
    }

    // Visitor keys from now on, with the salts of `source` (ingest, process).
    void set_visitor_salts(const time::LocalZone& zone, enrich::SaltSource source) {
        m_visitor_keys = std::make_unique<enrich::VisitorKeys>(zone, std::move(source));
        m_enricher.set_visitor_keys(m_visitor_keys.get());
    }

    // Moves the warnings counted since the last call into `summary`.
    void move_warnings(RunSummary& summary);

  private:
    std::unique_ptr<enrich::UserAgentParser> m_user_agents;
    std::unique_ptr<enrich::VisitorKeys> m_visitor_keys;
    std::shared_ptr<const enrich::CountryDatabase> m_countries; // shared by the process's builders
    enrich::Enricher m_enricher;
    OccurrenceCounter m_occurrences;
    enrich::EnrichWarnings m_warnings;
};

} // namespace analytics::ingest
