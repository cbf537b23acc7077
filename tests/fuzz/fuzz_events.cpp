// The events format: geoportal beacon payloads, bare or wrapped.

#include "harness.hpp"

#include <analytics/parse/event_json.hpp>
#include <analytics/parse/events.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace analytics::parse;
    static const analytics::time::LocalZone zone("UTC");
    static EventsParser parser(zone);
    static BeaconBatch batch;
    static std::string reason, out;
    fuzz::for_each_line(data, size, [](std::string_view line) {
        if (!parser.parse(line, batch, reason)) {
            return;
        }
        out.clear();
        for (const auto& row : batch.searches)
            append_json(out, row);
        for (const auto& row : batch.impressions)
            append_json(out, row);
        for (const auto& row : batch.events)
            append_json(out, row);
    });
    return 0;
}
