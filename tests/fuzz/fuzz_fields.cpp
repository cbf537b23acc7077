// Field parsers on raw bytes: timestamps, URLs, query strings, response
// times, user agents, the OGC classifier on arbitrary paths, and the secret
// scrubbers (raw text, query strings, addresses).

#include "harness.hpp"

#include <analytics/enrich/ogc.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/privacy.hpp>
#include <analytics/util/text.hpp>
#include <analytics/util/url.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace analytics;
    static const time::LocalZone zone("Europe/Paris");
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)time::parse_any_time(text, zone);
    (void)time::parse_clf_time(text);
    std::int32_t ms = 0;
    (void)parse::parse_response_time(text, "ms", ms);
    const auto url = split_url(text);
    std::string decoded;
    percent_decode(url.query, decoded, true);
    record::JsonObject details;
    for_each_query_pair(url.query, [&](std::string_view key, std::string_view value) {
        if (!key.empty() && !value.empty()) {
            details.set_string(key, value);
        }
    });
    enrich::OgcWarnings warnings;
    const auto& settings = fuzz::config().app_processors.by_name.at("geoserver");
    for (auto processor :
         {enrich::Processor::geoserver, enrich::Processor::mapserver, enrich::Processor::mapproxy,
          enrich::Processor::ogcserver, enrich::Processor::dataapi}) {
        record::JsonObject copy = details;
        enrich::classify(processor, settings, enrich::OgcRequest{url.path, "/geoserver/"}, copy,
                         warnings);
    }
    std::string scratch;
    std::string scrubbed(text);
    (void)redact_secrets(scrubbed);
    scrubbed.assign(text);
    (void)scrub_query_string(scrubbed, scratch);
    scrubbed.assign(text);
    (void)scrub_url(scrubbed, split_url(scrubbed), scratch);
    (void)may_name_a_secret(text);
    if (is_valid_utf8(text)) {
        (void)fuzz::user_agents()->enrich(text);
    }
    return 0;
}
