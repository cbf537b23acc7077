// The processor tests of the old tool (georchestra-analytics-cli.md §9) and
// the request shapes of peers-ogc.md §D, as intended behaviour.

#include <analytics/config/config.hpp>
#include <analytics/enrich/ogc.hpp>
#include <analytics/record/access_json.hpp>
#include <analytics/util/text.hpp>
#include <analytics/util/url.hpp>

#include <doctest/doctest.h>

#include <ostream>

using namespace analytics;
using namespace analytics::enrich;
using analytics::record::JsonObject;

namespace {

config::AppProcessor settings_for(const std::string& name) {
    auto defaults = config::defaults();
    auto it = defaults.app_processors.by_name.find(name);
    return it == defaults.app_processors.by_name.end() ? config::AppProcessor{} : it->second;
}

config::AppProcessor test_settings() {
    // config_apps_processors.yaml of the old tests: vector and raster labels.
    config::AppProcessor s = settings_for("geoserver");
    s.download_formats.raster = {{"jpeg", "JPEG"},
                                 {"gif", "GIF"},
                                 {"png", "PNG"},
                                 {"tif", "TIFF"},
                                 {"geotiff", "GeoTiff"},
                                 {"application/gml+xml", "GML"},
                                 {"application/x-netcdf", "NetCDF"}};
    return s;
}

// Parameters as the enricher builds them: keys and values lower-cased,
// percent-decoded, blank values dropped, first value kept.
JsonObject params_of(std::string_view query) {
    JsonObject details;
    std::string key, value;
    for_each_query_pair(query, [&](std::string_view k, std::string_view v) {
        percent_decode(k, key, true);
        to_lower_ascii(key);
        if (v.empty() || details.find(key) != nullptr) {
            return;
        }
        percent_decode(v, value, true);
        to_lower_ascii(value);
        details.set_string(key, value);
    });
    return details;
}

struct Result {
    bool ogc = false;
    JsonObject details;

    std::string get(std::string_view key) const {
        const auto* entry = details.find(key);
        if (entry == nullptr)
            return "(absent)";
        switch (entry->kind) {
        case JsonObject::Kind::string:
            return entry->text;
        case JsonObject::Kind::boolean:
            return entry->boolean ? "true" : "false";
        case JsonObject::Kind::null:
            return "null";
        default:
            return "(other)";
        }
    }

    std::string json() const {
        std::string out;
        record::append_json(out, details);
        return out;
    }
};

Result run(Processor processor, std::string_view url, std::string_view app_path,
           config::AppProcessor settings) {
    const UrlParts parts = split_url(url);
    std::string path(parts.path);
    to_lower_ascii(path);
    Result result;
    result.details = params_of(parts.query);
    OgcWarnings warnings;
    result.ogc =
        classify(processor, settings, OgcRequest{path, app_path}, result.details, warnings);
    return result;
}

Result geoserver(std::string_view url) {
    return run(Processor::geoserver, url, "/geoserver/", settings_for("geoserver"));
}

} // namespace

TEST_SUITE("ogc") {
    TEST_CASE("fixture 5: GeoServer tiled WMS") {
        const auto r = geoserver(
            "/geoserver/topp/wms?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&FORMAT=image%2Fpng&"
            "TRANSPARENT=true&tiled=true&STYLES&LAYERS=topp%3Astates&exceptions=application%2Fvnd."
            "ogc.se_inimage&tilesOrigin=-124.73142200000001%2C24.955967&WIDTH=256&HEIGHT=256&SRS="
            "EPSG%3A4326&BBOX=-92.4609375%2C44.6484375%2C-92.109375%2C45");
        CHECK(r.ogc);
        CHECK(r.get("bbox") == "-92.4609375,44.6484375,-92.109375,45");
        CHECK(r.get("exceptions") == "application/vnd.ogc.se_inimage");
        CHECK(r.get("format") == "image/png");
        CHECK(r.get("workspaces") == "topp");
        CHECK(r.get("layers") == "states");
        CHECK(r.get("crs") == "EPSG:4326");
        CHECK(r.get("request") == "getmap");
        CHECK(r.get("service") == "WMS");
        CHECK(r.get("size") == "256x256");
        CHECK(r.get("tiled") == "true");
        CHECK(r.get("tilesorigin") == "-124.73142200000001,24.955967");
        CHECK(r.get("transparent") == "true");
        CHECK(r.get("version") == "1.1.1");
        CHECK(r.get("styles") == "(absent)");
        CHECK(r.get("srs") == "(absent)");
        CHECK(r.details.find("tags")->array == std::vector<std::string>{"ogc"});
    }

    TEST_CASE("GeoServer workspaces from paths (test_get_workspace_from_path)") {
        CHECK(geoserver("/geoserver/my_ws/ows?service=wms&layers=a").get("workspaces") == "my_ws");
        CHECK(geoserver("/geoserver/ows?service=wms&layers=a").get("workspaces") == "");
        CHECK(
            geoserver("/geoserver/my_ws/gwc/service/wmts?service=wmts&layer=a").get("workspaces") ==
            "my_ws");
        CHECK(geoserver("/geoserver/my_ws/service?service=wms&layers=a").get("workspaces") == "");
        // The bug of §4.3 fixed: neither "geoserver", "service" nor a collection name.
        CHECK(geoserver("/geoserver/gwc/service/wmts?service=wmts&layer=a").get("workspaces") ==
              "");
        CHECK(
            geoserver("/geoserver/ogc/features/v1/collections/cours_eau/items").get("workspaces") ==
            "");
    }

    TEST_CASE("normalize_layers") {
        CHECK(
            geoserver("/geoserver/my_ws/ows?service=wms&layers=dummy_layer1,other_ws:dummy_layer2")
                .json()
                .find("\"workspaces\":\"my_ws,other_ws\"") != std::string::npos);
        const auto mixed = geoserver("/geoserver/ows?service=wms&layers=a,ws:b");
        CHECK(mixed.get("workspaces") == ",ws");
        CHECK(mixed.get("layers") == "a,b");
        CHECK(geoserver("/geoserver/ows?service=wms&layers=ws:a,ws:b").get("workspaces") == "ws");
        CHECK(geoserver("/geoserver/ows?service=wms&layers=ws:a,ws:b,ws2:c").get("workspaces") ==
              "ws,ws,ws2");
        SUBCASE("a layer a:b:c is stored, with a warning, never a crash") {
            JsonObject details = params_of("service=wms&layers=a:b:c");
            OgcWarnings warnings;
            CHECK(classify(Processor::geoserver, settings_for("geoserver"),
                           OgcRequest{"/geoserver/ows", "/geoserver/"}, details, warnings));
            CHECK(warnings.layer_with_several_colons);
            CHECK(*details.find_string("workspaces") == "a");
            CHECK(*details.find_string("layers") == "b:c");
        }
    }

    TEST_CASE("GeoServer WMS on a workspace, sf:bugsites and two tiled layers") {
        const auto r = geoserver("/geoserver/wms?service=WMS&request=GetMap&layers=sf:bugsites&"
                                 "srs=epsg:4326&width=768&height=330");
        CHECK(r.get("workspaces") == "sf");
        CHECK(r.get("layers") == "bugsites");
        CHECK(r.get("crs") == "EPSG:4326");
        CHECK(r.get("size") == "768x330");
        CHECK(r.get("tiled") == "(absent)");
        const auto tiled =
            geoserver("/geoserver/sf/"
                      "wms?service=WMS&request=GetMap&layers=roads,streams&width=256&height=256");
        CHECK(tiled.get("workspaces") == "sf");
        CHECK(tiled.get("tiled") == "true");
        // tiled=false wins over the size guess, before or after it.
        CHECK(
            geoserver("/geoserver/wms?service=WMS&tiled=false&width=256&height=256").get("tiled") ==
            "false");
        CHECK(
            geoserver("/geoserver/wms?service=WMS&width=256&height=256&tiled=false").get("tiled") ==
            "false");
    }

    TEST_CASE("non-OGC GeoServer requests are kept untagged (test_is_relevant)") {
        const auto web = geoserver("/geoserver/web/wicket/bookmarkable/org.geoserver.web.demo."
                                   "MapPreviewPage?1&filter=false");
        CHECK_FALSE(web.ogc);
        CHECK(web.get("tags") == "(absent)");
        CHECK_FALSE(geoserver("/geoserver/rest/layers.json").ogc);
        CHECK_FALSE(geoserver("/geoserver/j_spring_security_check").ogc);
        CHECK(geoserver("/geoserver/ows?service=WMS&request=GetCapabilities").ogc);
    }

    TEST_CASE("download detection (test_is_download, fixture 6)") {
        const auto settings = test_settings();
        auto r = run(Processor::ogcserver, "/ows?service=wfs&request=getfeature&outputformat=excel",
                     "/", settings);
        CHECK(r.get("is_download") == "true");
        CHECK(r.get("download_format") == "Excel");
        r = run(Processor::ogcserver, "/ows?service=wcs&request=getcoverage&format=geotiff", "/",
                settings);
        CHECK(r.get("download_format") == "GeoTiff");
        r = run(Processor::ogcserver, "/ows?service=wmts&request=gettile&layer=a", "/", settings);
        CHECK(r.get("is_download") == "(absent)");
        r = run(Processor::ogcserver, "/ows?service=wfs&request=getfeature", "/", settings);
        CHECK(r.get("is_download") == "(absent)"); // GML by default: not a download
        r = run(Processor::mapproxy,
                "/administratif/wfs?typeName=administratif:region&version=1.1.0&service=WFS&"
                "request=GetFeature&outputFormat=application/json&srsname=EPSG:3857",
                "/", settings);
        CHECK(r.get("download_format") == "JSON");
        CHECK(r.get("layers") == "administratif:region");
        r = run(Processor::mapproxy,
                "/administratif/wfs?service=WFS&request=GetFeature&outputformat=excel2007", "/",
                settings);
        CHECK(r.get("download_format") == "Excel");
    }

    TEST_CASE("ogcserver: duplicate service keys, no workspace split") {
        const auto r = run(Processor::ogcserver,
                           "https://example.org/ows?service=WMS&SERVICE=WMS&request=GetMap&layers="
                           "base:roads&width=2304&height=1084",
                           "/", settings_for("geoserver"));
        CHECK(r.get("service") == "WMS");
        CHECK(r.get("layers") == "base:roads");
        CHECK(r.get("workspaces") == "(absent)");
        CHECK(r.get("size") == "2304x1084");
        CHECK(r.get("tiled") == "(absent)");
    }

    TEST_CASE("mapserver and mapproxy workspaces") {
        const auto settings = settings_for("geoserver");
        CHECK(run(Processor::mapserver, "/ortho?service=WMS&request=GetMap&width=1300&height=1300",
                  "/", settings)
                  .get("workspaces") == "/ortho");
        CHECK(run(Processor::mapserver, "/mapserver/ortho?service=WMS&request=GetMap",
                  "/mapserver/", settings)
                  .get("workspaces") == "/ortho");
        CHECK(run(Processor::mapserver,
                  "/cgi-bin/mapserv?map=/srv/maps/ortho.map&service=WMS&request=GetMap", "/",
                  settings)
                  .get("workspaces") == "/srv/maps/ortho.map");
        auto r = run(Processor::mapproxy,
                     "/ortho/service?service=WMS&request=GetMap&styles=&transparent=True&width="
                     "1300&height=1300",
                     "/", settings);
        CHECK(r.get("workspaces") == "/ortho");
        CHECK(r.get("size") == "1300x1300");
        CHECK(r.get("transparent") == "true");
        CHECK(
            run(Processor::mapproxy, "/mapproxy/ortho/service?service=WMS", "/mapproxy/", settings)
                .get("workspaces") == "/ortho");
        CHECK(run(Processor::mapproxy, "/ortho/wms?service=WMS&width=512&height=512", "/", settings)
                  .get("tiled") == "true");
    }

    TEST_CASE("requests without SERVICE are still classified") {
        auto r = geoserver("/geoserver/wms?request=GetMap&layers=a");
        CHECK(r.ogc);
        CHECK(r.get("service") == "WMS");
        r = geoserver("/geoserver/ows?request=GetFeature&typeName=ws:a");
        CHECK(r.get("service") == "WFS");
        CHECK(r.get("workspaces") == "ws");
        r = geoserver("/geoserver/csw?request=GetRecords");
        CHECK(r.get("service") == "CSW");
    }

    TEST_CASE("GeoWebCache, WMTS REST and TMS") {
        auto r = geoserver("/geoserver/gwc/service/wmts/rest/topp:states/default/EPSG:4326/"
                           "EPSG:4326:5/10/12?format=image/png");
        CHECK(r.get("service") == "WMTS");
        CHECK(r.get("request") == "gettile");
        CHECK(r.get("layers") == "states");
        CHECK(r.get("workspaces") == "topp");
        CHECK(r.get("tiled") == "true");
        r = geoserver("/geoserver/gwc/service/tms/1.0.0/topp:states@EPSG:900913@png/3/4/5.png");
        CHECK(r.get("service") == "TMS");
        CHECK(r.get("layers") == "states");
        CHECK(r.get("request") == "gettile");
        r = geoserver("/geoserver/gwc/service/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=ws:roads&"
                      "TILEMATRIXSET=EPSG:4326&TILEMATRIX=EPSG:4326:3&TILEROW=1&TILECOL=2");
        CHECK(r.get("layers") == "roads");
        CHECK(r.get("tiled") == "true");
        CHECK(r.get("tilematrix") == "epsg:4326:3");
        r = geoserver("/geoserver/gwc/service/wms?service=WMS&request=GetMap&layers=a&width=768"
                      "&height=768");
        CHECK(r.get("tiled") == "true");
        const auto settings = settings_for("geoserver");
        r = run(Processor::mapproxy, "/wmts/myrest/wms_cache/GLOBAL_MERCATOR/01/0/0.jpeg", "/",
                settings);
        CHECK(r.get("service") == "WMTS");
        CHECK(r.get("layers") == "myrest");
        CHECK(r.get("request") == "gettile");
        r = run(Processor::mapproxy, "/wmts/1.0.0/WMTSCapabilities.xml", "/", settings);
        CHECK(r.get("request") == "getcapabilities");
        r = run(Processor::mapproxy, "/tms/1.0.0/osm/webmercator/3/4/5.png", "/", settings);
        CHECK(r.get("service") == "TMS");
        CHECK(r.get("layers") == "osm");
        r = run(Processor::ogcserver, "/mapcache/tms/1.0.0/ortho@g/3/4/5.png", "/", settings);
        CHECK(r.get("layers") == "ortho");
    }

    TEST_CASE("OGC API paths") {
        auto r = geoserver("/geoserver/ogc/features/v1/collections/psc:cours_eau/items?f=csv");
        CHECK(r.get("service") == "OGC API Features");
        CHECK(r.get("request") == "items");
        CHECK(r.get("layers") == "cours_eau");
        CHECK(r.get("workspaces") == "psc");
        CHECK(r.get("download_format") == "CSV");
        r = geoserver("/geoserver/ogc/features/v1/collections/psc:cours_eau/items/123");
        CHECK(r.get("request") == "items");
        r = geoserver("/geoserver/ogc/features/v1/collections/psc:cours_eau/queryables");
        CHECK(r.get("request") == "layer");
        r = geoserver("/geoserver/ogc/tiles/v1/collections/ws:roads/tiles/WebMercatorQuad/3/2/1");
        CHECK(r.get("service") == "OGC API Tiles");
        CHECK(r.get("request") == "gettile");
        CHECK(r.get("tiled") == "true");
        r = geoserver("/geoserver/ogc/maps/v1/collections/ws:roads/map?bbox=1,2,3,4");
        CHECK(r.get("service") == "OGC API Maps");
        CHECK(r.get("request") == "getmap");
        r = geoserver("/geoserver/ogc/processes/v1/processes/buffer/execution");
        CHECK(r.get("service") == "OGC API Processes");
        CHECK(r.get("request") == "execute");
        r = run(Processor::ogcserver, "/ogcapi/collections/metadata/items", "/",
                settings_for("geoserver"));
        CHECK(r.get("service") == "OGC API Features");
        r = geoserver("/geoserver/ogc/records/v1/collections/catalog/items");
        CHECK(r.get("service") == "OGC API Records");
    }

    TEST_CASE("data-api (test_dataapi_log_processor, fixture 4)") {
        const auto settings = settings_for("dataapi");
        auto r =
            run(Processor::dataapi, "/data/ogcapi/collections/psc:cours_eau/items?f=csv&limit=50",
                "/data/", settings);
        CHECK(r.json() ==
              "{\"limit\":\"50\",\"layers\":\"psc:cours_eau\",\"request\":\"items\","
              "\"is_download\":true,\"download_format\":\"CSV\",\"full_download\":false}");
        r = run(Processor::dataapi, "/data/ogcapi/collections/psc:cours_eau/items?limit=-1",
                "/data/", settings);
        CHECK(r.get("download_format") == "GeoJSON");
        CHECK(r.get("full_download") == "true");
        r = run(Processor::dataapi, "/data/ogcapi/collections/psc:cours_eau", "/data/", settings);
        CHECK(r.json() == "{\"layers\":\"psc:cours_eau\"}");
        r = run(Processor::dataapi, "/data/swagger-ui/index.html", "/data/", settings);
        CHECK(r.json() == "{}");
    }

    TEST_CASE("processor names") {
        Processor p{};
        CHECK(processor_from_name("GeoServer", p));
        CHECK(p == Processor::geoserver);
        CHECK(processor_from_name("datapi", p));
        CHECK(p == Processor::dataapi);
        CHECK_FALSE(processor_from_name("geonetwork", p));
        CHECK(processor_from_name("MAPPROXY", p));
        CHECK(p == Processor::mapproxy);
        CHECK(processor_from_name("Generic", p));
        CHECK(p == Processor::generic);
        CHECK_FALSE(processor_from_name("", p));
        CHECK_FALSE(processor_from_name("geoserver1", p));
        CHECK_FALSE(processor_from_name("geoserve", p));
        CHECK_FALSE(processor_from_name(std::string("geoserver\0", 10), p));
    }
}
