// Text formats: common, combined, georchestra (hand-written scanner) and the
// regex format with the default pattern.

#include "harness.hpp"

#include <analytics/time/local_zone.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace analytics::parse;
    static const analytics::time::LocalZone zone("Europe/Paris");
    static auto common = make_clf_parser(TextVariant::common, fuzz::config());
    static auto combined = make_clf_parser(TextVariant::combined, fuzz::config());
    static auto georchestra = make_clf_parser(TextVariant::georchestra, fuzz::config());
    static auto regex =
        make_regex_parser(fuzz::config().parsers.text_message.regex, fuzz::config(), zone);
    fuzz::for_each_line(data, size, [](std::string_view line) {
        for (AccessParser* parser :
             {common.get(), combined.get(), georchestra.get(), regex.get()}) {
            fuzz::run_access(*parser, line);
        }
    });
    return 0;
}
