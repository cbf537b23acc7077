// JSON access formats: otel (Vector events), otlp (OTLP/JSON), api-json.

#include "harness.hpp"

#include <analytics/time/local_zone.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace analytics::parse;
    static const analytics::time::LocalZone zone("America/Chicago");
    static auto otel = make_otel_parser(zone);
    static auto otlp = make_otlp_parser();
    static auto api = make_api_json_parser(zone);
    fuzz::for_each_line(data, size, [](std::string_view line) {
        for (AccessParser* parser : {otel.get(), otlp.get(), api.get()}) {
            fuzz::run_access(*parser, line);
        }
    });
    return 0;
}
