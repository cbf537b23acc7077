#pragma once

// OGC classification of one request (georchestra-analytics-cli.md §4 with its
// bugs fixed, widened to the request shapes of peers-ogc.md §D): fills the
// `service, request, layers, workspaces, crs, size, tiled, is_download,
// download_format, full_download, tags` keys of request_details.

#include <analytics/config/config.hpp>
#include <analytics/record/json_object.hpp>

#include <string>
#include <string_view>

namespace analytics::enrich {

enum class Processor {
    geoserver,
    mapserver,
    mapproxy,
    ogcserver, // any OGC server: classification without server-specific workspaces
    dataapi,   // georchestra/data-api
    generic,   // no classification
};
inline constexpr std::size_t processor_count = static_cast<std::size_t>(Processor::generic) + 1;

// The processor named by an app_name (case-insensitive), if any.
bool processor_from_name(std::string_view name, Processor& out) noexcept;
const char* processor_name(Processor p) noexcept;

struct OgcRequest {
    // Lower-cased request path, and the application prefix ("/geoserver/"
    // or "/") that is stripped before looking for workspaces.
    std::string_view path;
    std::string_view app_path;
};

// Counters of odd values the classifier fixed up (stored, not rejected).
struct OgcWarnings {
    bool layer_with_several_colons = false;
};

// Classifies in place. `details` holds the request's query parameters with
// lower-case keys; it receives the classification keys. Returns true when the
// request is an OGC request (then tags is ["ogc"]).
bool classify(Processor processor, const config::AppProcessor& settings, const OgcRequest& request,
              record::JsonObject& details, OgcWarnings& warnings);

} // namespace analytics::enrich
