#pragma once

// Shared by the fuzz targets: run a parser and the enricher on every line of
// the input and render the records, as `ingest --output` does.

#include <analytics/config/config.hpp>
#include <analytics/enrich/enricher.hpp>
#include <analytics/enrich/rejected_text.hpp>
#include <analytics/enrich/user_agent.hpp>
#include <analytics/parse/access_parser.hpp>
#include <analytics/record/access_json.hpp>
#include <analytics/util/text.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace fuzz {

inline const analytics::config::Config& config() {
    static const analytics::config::Config c = [] {
        auto defaults = analytics::config::defaults();
        defaults.data_privacy.keys_blacklist.clear();
        defaults.apps_mapping = {
            {"/data/", "dataapi"}, {"/ms/", "mapserver"}, {"/mapproxy/", "mapproxy"}};
        return defaults;
    }();
    return c;
}

inline analytics::enrich::UserAgentParser* user_agents() {
    static analytics::enrich::UserAgentParser parser("/usr/share/uap-core/regexes.yaml");
    return &parser;
}

// Calls fn(line) for each '\n'-separated line of the input, repaired to valid UTF-8.
template <typename Fn>
void for_each_line(const std::uint8_t* data, std::size_t size, Fn&& fn) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string repaired;
    std::size_t pos = 0;
    while (pos <= input.size()) {
        std::size_t end = input.find('\n', pos);
        if (end == std::string_view::npos) {
            end = input.size();
        }
        std::string_view line = input.substr(pos, end - pos);
        if (!analytics::is_valid_utf8(line)) { // as the pipeline does before parsing
            analytics::repair_utf8(line, repaired);
            line = repaired;
        }
        fn(line);
        pos = end + 1;
    }
}

// Parses one line with parser, enriches and renders every record.
inline void run_access(analytics::parse::AccessParser& parser, std::string_view line) {
    static analytics::enrich::Enricher enricher(config(), user_agents());
    static analytics::parse::ParsedBatch batch;
    static std::string reason;
    static std::string out;
    if (!parser.parse(line, batch, reason)) {
        // A rejected line is kept redacted: the redaction must hold on any bytes.
        static const analytics::enrich::RejectedText rejected_text([] {
            auto c = config();
            c.data_privacy.keys_blacklist = {"client_ip", "user_name"};
            return c;
        }());
        out = rejected_text(line);
        return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        analytics::enrich::EnrichWarnings warnings;
        enricher.enrich(batch[i].record, batch[i].extras, warnings);
        out.clear();
        analytics::record::append_json(out, batch[i].record);
    }
}

} // namespace fuzz
