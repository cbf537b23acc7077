#include <analytics/config/config.hpp>

namespace analytics::config {

// The old tool's packaged default (geOrchestra CLF); group names are RE2-compatible.
const char* const default_text_regex =
    R"re(^(?P<ip>[0-9a-fA-F:\.]+) (?P<user_identifier>[-_\w]+) (?P<user>[-_\|,@\. \w]+) \[(?P<timestamp>.*)\] \"(?P<method>GET|POST|HEAD|OPTIONS|PUT|PATCH|DELETE|TRACE|CONNECT) (https?:\/\/[_:a-zA-Z0-9\.-]+)?(?P<path>\/(?P<app_path>[_a-zA-Z0-9-]+)(\/.*)) HTTP\/[\.0-9]{3}\" (?P<status_code>[0-9]{3}) (?P<response_size>[-0-9]*))re";

Config defaults() {
    Config c;
    c.parsers.text_message.regex = default_text_regex;

    AppProcessor geoserver;
    geoserver.infer_is_tiled = true;
    geoserver.infer_is_download = true;
    geoserver.download_formats.vector = {{"shape-zip", "Shapefile"},
                                         {"application/json", "JSON"},
                                         {"csv", "CSV"},
                                         {"excel", "Excel"},
                                         {"excel2007", "Excel"}};
    c.app_processors.by_name["geoserver"] = geoserver;

    // The old tool defined this block under the misspelt key 'datapi' and so
    // never used it; here it applies.
    AppProcessor dataapi;
    dataapi.infer_is_download = true;
    dataapi.download_formats.vector = {{"shapefile", "Shapefile"},
                                       {"json", "JSON"},
                                       {"geojson", "GeoJSON"},
                                       {"csv", "CSV"},
                                       {"ooxml", "Excel"}};
    c.app_processors.by_name["dataapi"] = dataapi;
    return c;
}

} // namespace analytics::config
