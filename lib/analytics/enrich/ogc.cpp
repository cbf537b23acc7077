#include <analytics/enrich/ogc.hpp>
#include <analytics/util/text.hpp>

#include <array>
#include <optional>

namespace analytics::enrich {

using record::JsonObject;

bool processor_from_name(std::string_view name, Processor& out) noexcept {
    struct Named {
        std::string_view name;
        Processor processor;
    };

    static constexpr Named names[] = {
        {"geoserver", Processor::geoserver}, {"mapserver", Processor::mapserver},
        {"mapproxy", Processor::mapproxy},   {"ogcserver", Processor::ogcserver},
        {"dataapi", Processor::dataapi},     {"datapi", Processor::dataapi},
        {"generic", Processor::generic},
    };
    for (const auto& n : names) {
        if (iequals(n.name, name)) {
            out = n.processor;
            return true;
        }
    }
    return false;
}

const char* processor_name(Processor p) noexcept {
    switch (p) {
    case Processor::geoserver:
        return "geoserver";
    case Processor::mapserver:
        return "mapserver";
    case Processor::mapproxy:
        return "mapproxy";
    case Processor::ogcserver:
        return "ogcserver";
    case Processor::dataapi:
        return "dataapi";
    case Processor::generic:
        return "generic";
    }
    return "generic";
}

namespace {

// The non-empty '/'-separated segments of a path (at most 32 are looked at).
class Segments {
  public:
    explicit Segments(std::string_view path) {
        std::size_t pos = 0;
        while (pos < path.size() && m_count < m_items.size()) {
            std::size_t end = path.find('/', pos);
            if (end == std::string_view::npos) {
                end = path.size();
            }
            if (end > pos) {
                m_items[m_count++] = path.substr(pos, end - pos);
            }
            pos = end + 1;
        }
    }

    std::size_t size() const noexcept { return m_count; }

    std::string_view operator[](std::size_t i) const noexcept {
        return i < m_count ? m_items[i] : std::string_view{};
    }

    // Index of the first segment equal to s, or size().
    std::size_t find(std::string_view s, std::size_t from = 0) const noexcept {
        for (std::size_t i = from; i < m_count; ++i) {
            if (m_items[i] == s) {
                return i;
            }
        }
        return m_count;
    }

  private:
    std::array<std::string_view, 32> m_items{};
    std::size_t m_count = 0;
};

// The path without its application prefix: "/geoserver/psc/wms" → "/psc/wms".
std::string_view strip_app_path(std::string_view path, std::string_view app_path) {
    if (app_path.size() <= 1) {
        return path;
    }
    if (path.size() >= app_path.size() && path.substr(0, app_path.size()) == app_path) {
        return path.substr(app_path.size() - 1);
    }
    if (path == app_path.substr(0, app_path.size() - 1)) {
        return "/";
    }
    return path;
}

bool is_kvp_service_endpoint(std::string_view segment) {
    return segment == "wms" || segment == "wfs" || segment == "wcs" || segment == "wps" ||
           segment == "csw" || segment == "wmts" || segment == "ows";
}

// The service an operation name belongs to, for KVP requests without SERVICE.
std::string_view service_of_request(std::string_view request) {
    struct Op {
        std::string_view request, service;
    };

    static constexpr Op ops[] = {
        {"getmap", "WMS"},
        {"getfeatureinfo", "WMS"},
        {"getlegendgraphic", "WMS"},
        {"describelayer", "WMS"},
        {"getstyles", "WMS"},
        {"getfeature", "WFS"},
        {"describefeaturetype", "WFS"},
        {"getpropertyvalue", "WFS"},
        {"transaction", "WFS"},
        {"lockfeature", "WFS"},
        {"liststoredqueries", "WFS"},
        {"gettile", "WMTS"},
        {"getcoverage", "WCS"},
        {"describecoverage", "WCS"},
        {"execute", "WPS"},
        {"describeprocess", "WPS"},
        {"getrecords", "CSW"},
        {"getrecordbyid", "CSW"},
        {"describerecord", "CSW"},
        {"getdomain", "CSW"},
        {"harvest", "CSW"},
    };
    for (const auto& op : ops) {
        if (op.request == request) {
            return op.service;
        }
    }
    return {};
}

std::string_view before_at(std::string_view s) {
    return s.substr(0, s.find('@'));
}

// What the path alone says (REST tiles, OGC API); empty service when nothing.
struct PathClass {
    std::string_view service;
    std::string_view request;
    std::string_view layer;
    bool tiled = false;
};

PathClass classify_ogc_api(const Segments& s) {
    PathClass c;
    // GeoServer style /ogc/<api>/v1/..., data-api style /ogcapi/...
    std::string_view hint;
    const std::size_t ogc = s.find("ogc");
    if (ogc + 1 < s.size()) {
        hint = s[ogc + 1];
    }
    const bool ogcapi = s.find("ogcapi") < s.size() || !hint.empty();
    auto api_name = [](std::string_view h, std::string_view fallback) -> std::string_view {
        if (h == "features")
            return "OGC API Features";
        if (h == "tiles")
            return "OGC API Tiles";
        if (h == "maps")
            return "OGC API Maps";
        if (h == "records")
            return "OGC API Records";
        if (h == "processes")
            return "OGC API Processes";
        if (h == "styles")
            return "OGC API Styles";
        if (h == "coverages")
            return "OGC API Coverages";
        return fallback;
    };
    const std::size_t col = s.find("collections");
    if (col < s.size()) {
        c.layer = s[col + 1];
        const std::string_view next = s[col + 2];
        if (c.layer.empty()) {
            c.service = api_name(hint, "OGC API Features");
            c.request = "collections";
        } else if (next == "items") {
            c.service = api_name(hint == "records" ? hint : std::string_view{"features"}, "");
            c.request = "items";
        } else if (next == "tiles" || (next == "map" && s[col + 3] == "tiles")) {
            const std::size_t tiles = next == "tiles" ? col + 2 : col + 3;
            c.service = "OGC API Tiles";
            c.request = s.size() >= tiles + 5 ? "gettile" : "tilesets";
            c.tiled = true;
        } else if (next == "map") {
            c.service = "OGC API Maps";
            c.request = "getmap";
        } else if (next == "coverage") {
            c.service = "OGC API Coverages";
            c.request = "getcoverage";
        } else {
            c.service = api_name(hint, "OGC API Features");
            c.request = "layer";
        }
        return c;
    }
    if (!ogcapi) {
        if (s.find("tilematrixsets") < s.size()) {
            c.service = "OGC API Tiles";
            c.request = "tilematrixsets";
        }
        return c;
    }
    c.service = api_name(hint, "OGC API Features");
    const std::size_t processes = s.find("processes", ogc < s.size() ? ogc + 2 : 0);
    if (processes < s.size()) {
        c.service = "OGC API Processes";
        c.layer = s[processes + 1];
        c.request = c.layer.empty()                   ? "processes"
                    : s[processes + 2] == "execution" ? "execute"
                                                      : "describeprocess";
    } else if (s.find("jobs") < s.size()) {
        c.service = "OGC API Processes";
        c.request = "jobs";
    } else if (const std::size_t tiles = s.find("tiles"); tiles < s.size() && hint != "tiles") {
        c.service = "OGC API Tiles";
        c.request = s.size() >= tiles + 5 ? "gettile" : "tilesets";
        c.tiled = true;
    } else if (s.find("map") < s.size()) {
        c.service = "OGC API Maps";
        c.request = "getmap";
    } else if (s.find("conformance") < s.size()) {
        c.request = "conformance";
    } else if (s.find("api") < s.size()) {
        c.request = "api";
    } else {
        c.request = "landing";
    }
    return c;
}

PathClass classify_path(const Segments& s) {
    PathClass c;
    // GeoWebCache: /gwc/service/{wms,wmts,tms,...}
    const std::size_t gwc = s.find("gwc");
    if (gwc < s.size() && s[gwc + 1] == "service") {
        const std::string_view kind = s[gwc + 2];
        const std::size_t rest = gwc + 3;
        if (kind == "wms") {
            c.service = "WMS";
            c.tiled = true;
        } else if (kind == "wmts" && s[rest] == "rest") {
            // rest/{layer}/{style}/{TileMatrixSet}/{TileMatrixSet}:{z}/{row}/{col}
            c.service = "WMTS";
            c.layer = s[rest + 1];
            const bool tile = s.size() >= rest + 6;
            c.request = tile ? "gettile" : "getcapabilities";
            c.tiled = tile;
            if (c.layer.size() >= 4 && c.layer.substr(c.layer.size() - 4) == ".xml") {
                c.layer = {};
            }
        } else if (kind == "wmts") {
            c.service = "WMTS";
        } else if (kind == "tms") {
            c.service = "TMS";
            c.layer = before_at(s[rest + 1]);
            c.request = s.size() >= rest + 5 ? "gettile" : "getcapabilities";
            c.tiled = c.request == "gettile";
        } else if (kind == "kml") {
            c.service = "KML";
        }
        return c;
    }
    // TMS: /tms/1.0.0/{layer}[@grid@format]/{grid}/{z}/{x}/{y}.ext
    const std::size_t tms = s.find("tms");
    if (tms < s.size() && s[tms + 1] == "1.0.0") {
        c.service = "TMS";
        c.layer = before_at(s[tms + 2]);
        c.request = s.size() >= tms + 6 ? "gettile" : "getcapabilities";
        c.tiled = c.request == "gettile";
        return c;
    }
    // MapProxy RESTful WMTS: /wmts/{layer}/{grid}/{z}/{x}/{y}.ext, /wmts/1.0.0/WMTSCapabilities.xml
    const std::size_t wmts = s.find("wmts");
    if (wmts < s.size() && wmts + 1 < s.size()) {
        c.service = "WMTS";
        if (s[wmts + 1] == "1.0.0") {
            c.request = "getcapabilities";
        } else if (s.size() >= wmts + 6) {
            c.layer = s[wmts + 1];
            c.request = "gettile";
            c.tiled = true;
        }
        return c;
    }
    return classify_ogc_api(s);
}

// georchestra-analytics-cli.md §4.3, with prefixes stripped in every mode
// and a segment-based reading of virtual-service paths.
std::string_view geoserver_workspace(const Segments& s) {
    const std::size_t gwc = s.find("gwc");
    if (gwc < s.size()) {
        return gwc == 1 ? s[0] : std::string_view{};
    }
    const std::size_t ogc = s.find("ogc");
    if (ogc < s.size()) {
        return ogc == 1 ? s[0] : std::string_view{};
    }
    if (s.size() >= 2 && s.size() <= 3 && is_kvp_service_endpoint(s[s.size() - 1])) {
        return s[0]; // /{ws}/wms or /{ws}/{layer}/wms
    }
    return {};
}

// Splits "ws:layer" lists against the path's workspace (§4.3 normalize_layers).
void normalize_geoserver_layers(JsonObject& details, std::string_view path_workspace,
                                OgcWarnings& warnings) {
    const std::string* layers = details.find_string("layers");
    if (layers == nullptr || layers->empty()) {
        return;
    }
    std::string names;
    std::string workspaces;
    std::string first_workspace;
    bool all_same = true;
    std::size_t count = 0;
    std::size_t pos = 0;
    const std::string_view list = *layers;
    while (pos <= list.size()) {
        std::size_t end = list.find(',', pos);
        if (end == std::string_view::npos) {
            end = list.size();
        }
        const std::string_view item = list.substr(pos, end - pos);
        std::string_view ws = path_workspace;
        std::string_view name = item;
        const std::size_t colon = item.find(':');
        if (colon != std::string_view::npos) {
            ws = item.substr(0, colon);
            name = item.substr(colon + 1);
            if (name.find(':') != std::string_view::npos) {
                warnings.layer_with_several_colons = true;
            }
        }
        if (count > 0) {
            names.push_back(',');
            workspaces.push_back(',');
            all_same = all_same && ws == first_workspace;
        } else {
            first_workspace.assign(ws.data(), ws.size());
        }
        names.append(name.data(), name.size());
        workspaces.append(ws.data(), ws.size());
        ++count;
        pos = end + 1;
    }
    if (count > 1 && all_same) {
        workspaces = first_workspace;
    }
    details.set_string("workspaces", workspaces);
    details.set_string("layers", names);
}

std::string_view mapproxy_workspace(std::string_view path, const Segments& s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const std::string_view seg = s[i];
        if (seg == "service" || seg == "ows" || seg == "wms" || seg == "wmts" || seg == "tms" ||
            seg == "tiles" || seg == "kml") {
            const std::size_t end = static_cast<std::size_t>(seg.data() - path.data());
            return end > 0 ? path.substr(0, end - 1) : std::string_view{};
        }
    }
    return {};
}

// Renames the layer-identifying parameters to `layers` (the first present
// wins) and normalises crs, service, request, size and tiled.
void normalize_parameters(const config::AppProcessor& settings, JsonObject& details) {
    static constexpr std::string_view layer_keys[] = {"layers", "layer", "typenames", "typename",
                                                      "query_layers"};
    // The first one present moves last as `layers`; the others go.
    std::string_view layers_from;
    for (std::string_view key : layer_keys) {
        if (details.find_string(key) != nullptr) {
            if (layers_from.empty()) {
                layers_from = key;
            } else {
                details.erase(key);
            }
        }
    }
    if (!layers_from.empty()) {
        details.move_to_end(layers_from, "layers");
    }
    for (std::string_view key : {std::string_view{"crs"}, std::string_view{"srs"}}) {
        if (std::string* crs = details.find_string(key)) {
            to_upper_ascii(*crs);
            details.move_to_end(key, "crs");
            break;
        }
    }
    details.erase("srs");
    if (std::string* service = details.find_string("service")) {
        to_upper_ascii(*service);
    }
    // An explicit TILED parameter wins over the size guess, wherever it is.
    std::optional<bool> explicit_tiled;
    if (const std::string* tiled = details.find_string("tiled")) {
        explicit_tiled = iequals(*tiled, "true");
    }
    const std::string* width = details.find_string("width");
    const std::string* height = details.find_string("height");
    if (width != nullptr && height != nullptr) {
        thread_local std::string size;
        assign_text(size, *width);
        size += 'x';
        size += *height;
        details.set_string("size", size);
        if (settings.infer_is_tiled && (size == "256x256" || size == "512x512")) {
            details.set_bool("tiled", true);
        }
    }
    if (explicit_tiled) {
        details.set_bool("tiled", *explicit_tiled);
    }
}

std::string lookup_format(const std::map<std::string, std::string>& formats,
                          std::string_view format, bool keep_unknown) {
    std::string key(format);
    to_lower_ascii(key);
    const auto it = formats.find(key);
    if (it != formats.end()) {
        return it->second;
    }
    return keep_unknown ? std::string(format) : std::string{};
}

void infer_download(const config::AppProcessor& settings, JsonObject& details) {
    const std::string* service = details.find_string("service");
    const std::string* request = details.find_string("request");
    if (service == nullptr) {
        return;
    }
    std::string label;
    bool download = false;
    if (*service == "OGC API Features" && request != nullptr && *request == "items") {
        if (const std::string* f = details.find_string("f")) {
            label = lookup_format(settings.download_formats.vector, *f, false);
            download = !label.empty();
        }
    } else if (iequals(*service, "WFS") && request != nullptr && *request == "getfeature") {
        if (const std::string* format = details.find_string("outputformat")) {
            label = lookup_format(settings.download_formats.vector, *format, false);
            download = !label.empty();
        }
    } else if (iequals(*service, "WCS") && request != nullptr && *request == "getcoverage") {
        // A coverage request is a download whatever its format (old behaviour).
        const std::string* format = details.find_string("format");
        if (format == nullptr) {
            format = details.find_string("outputformat");
        }
        if (format != nullptr) {
            label = lookup_format(settings.download_formats.raster, *format, true);
        }
        download = true;
    }
    if (download) {
        details.set_bool("is_download", true);
        if (label.empty()) {
            details.set_null("download_format");
        } else {
            details.set_string("download_format", label);
        }
    }
}

// georchestra/data-api: /…/ogcapi/collections/{layer}[/items] (§4.6).
void classify_dataapi(const config::AppProcessor& settings, std::string_view path,
                      JsonObject& details) {
    const std::size_t at = path.find("/ogcapi/collections/");
    if (at == std::string_view::npos) {
        return;
    }
    const Segments s(path.substr(at + 20));
    if (s.size() == 0) {
        return;
    }
    details.set_string("layers", s[0]);
    if (s[1] != "items") {
        return;
    }
    details.set_string("request", "items");
    details.set_bool("is_download", true);
    std::string format = "geojson";
    if (const std::string* f = details.find_string("f")) {
        format = *f;
    }
    details.erase("f");
    const std::string label = lookup_format(settings.download_formats.vector, format, false);
    if (label.empty()) {
        details.set_null("download_format");
    } else {
        details.set_string("download_format", label);
    }
    const std::string* limit = details.find_string("limit");
    details.set_bool("full_download", limit != nullptr && *limit == "-1");
}

} // namespace

bool classify(Processor processor, const config::AppProcessor& settings, const OgcRequest& request,
              JsonObject& details, OgcWarnings& warnings) {
    if (processor == Processor::generic) {
        return false;
    }
    if (processor == Processor::dataapi) {
        classify_dataapi(settings, request.path, details);
        return false;
    }
    const std::string_view path = strip_app_path(request.path, request.app_path);
    const Segments segments(path);

    normalize_parameters(settings, details);
    const std::string* service_param = details.find_string("service");
    bool is_ogc = service_param != nullptr && !service_param->empty();

    const PathClass from_path = classify_path(segments);
    if (!from_path.service.empty()) {
        if (!is_ogc) {
            details.set_string("service", from_path.service);
            is_ogc = true;
        }
        if (!from_path.request.empty() && details.find_string("request") == nullptr) {
            details.set_string("request", from_path.request);
        }
        if (!from_path.layer.empty() && details.find_string("layers") == nullptr) {
            details.set_string("layers", from_path.layer);
        }
        if (from_path.tiled && details.find("tiled") == nullptr) {
            details.set_bool("tiled", true);
        }
        const std::string* service = details.find_string("service");
        if (from_path.service.substr(0, 7) == "OGC API" && service != nullptr &&
            *service == from_path.service && !from_path.request.empty()) {
            // The path is more precise than a stray request parameter.
            details.set_string("request", from_path.request);
        }
    }
    if (!is_ogc) {
        std::string_view inferred;
        if (const std::string* op = details.find_string("request")) {
            inferred = service_of_request(*op);
        }
        if (inferred.empty() && segments.size() > 0 &&
            is_kvp_service_endpoint(segments[segments.size() - 1]) &&
            details.find_string("request") != nullptr) {
            const std::string_view endpoint = segments[segments.size() - 1];
            inferred = endpoint == "wms"    ? "WMS"
                       : endpoint == "wfs"  ? "WFS"
                       : endpoint == "wcs"  ? "WCS"
                       : endpoint == "wps"  ? "WPS"
                       : endpoint == "csw"  ? "CSW"
                       : endpoint == "wmts" ? "WMTS"
                                            : "";
        }
        if (!inferred.empty()) {
            details.set_string("service", inferred);
            is_ogc = true;
        }
    }
    if (!is_ogc) {
        return false;
    }
    if (const std::string* service = details.find_string("service");
        service != nullptr && (*service == "WMTS" || *service == "TMS")) {
        const std::string* op = details.find_string("request");
        if (op != nullptr && *op == "gettile" && details.find("tiled") == nullptr) {
            details.set_bool("tiled", true);
        }
    }

    switch (processor) {
    case Processor::geoserver:
        normalize_geoserver_layers(details, geoserver_workspace(segments), warnings);
        break;
    case Processor::mapserver:
        if (const std::string* map = details.find_string("map")) {
            const std::string workspace = *map;
            details.set_string("workspaces", workspace);
        } else {
            details.set_string("workspaces", path == "/" ? std::string_view{} : path);
        }
        break;
    case Processor::mapproxy:
        details.set_string("workspaces", mapproxy_workspace(path, segments));
        break;
    default:
        break;
    }
    if (settings.infer_is_download) {
        infer_download(settings, details);
    }
    details.set_array("tags").emplace_back("ogc");
    return true;
}

} // namespace analytics::enrich
