# Synthetic inputs (sourced).
#
# generate_lines FORMAT FILE COUNT: the first COUNT lines of 'analytics
# generate' (seed 42, from Monday 2026-03-02, 2000 requests an hour): the
# benchmarks' inputs. A longer file starts with the lines of a shorter one.
generate_lines() {
    local format=$1 file=$2 count=$3 rate=2000
    local hours=$(( count * 13 / 10 / rate + 48 ))
    { "$ANALYTICS" generate --format "$format" --seed 42 --rate "$rate" --from 2026-03-02T00:00:00Z \
        --to "$(date -u -d "2026-03-02 00:00:00 UTC + $hours hours" +%Y-%m-%dT%H:%M:%SZ)" || true; } |
        head -n "$count" > "$file"
    [ "$(wc -l < "$file")" -eq "$count" ] || { echo "generate_lines: too few lines" >&2; return 1; }
}

# The database tests' own inputs, made with awk (their scenarios were written
# against these): realistic shapes, a few hundred distinct user agents and
# layers, increasing timestamps.

# make_combined FILE LINES
make_combined() {
    awk -v n="$2" 'BEGIN {
        srand(42);
        split("psc:cours_eau psc:ortho topp:states sf:roads sf:bugsites ign:communes ign:routes " \
              "osm:buildings osm:roads geo:parcels", layers, " ");
        split("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/12%d.0.0.0 Safari/537.36|" \
              "Mozilla/5.0 (X11; Linux x86_64; rv:1%d.0) Gecko/20100101 Firefox/1%d.0|" \
              "Mozilla/5.0 QGIS/3%d404/Linux|ArcGIS Pro 3.%d.1 (00000000000) - ArcGISPro|" \
              "python-requests/2.%d.0|Mozilla/5.0 (iPhone; CPU iPhone OS 17_%d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1|" \
              "Mozilla/5.0 (compatible; Googlebot/2.%d; +http://www.google.com/bot.html)", uas, "|");
        split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", months, " ");
        t = 0;
        for (i = 0; i < n; i++) {
            t += int(rand() * 3);
            s = t % 60; m = int(t / 60) % 60; h = int(t / 3600) % 24; d = 1 + int(t / 86400) % 28;
            layer = layers[1 + int(rand() * 10)];
            ua = sprintf(uas[1 + int(rand() * 7)], int(rand() * 9), int(rand() * 9), int(rand() * 9));
            kind = int(rand() * 5);
            if (kind == 0) path = sprintf("/geoserver/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=%s&STYLES=&CRS=EPSG%%3A3857&BBOX=%d,%d,%d,%d&WIDTH=256&HEIGHT=256&FORMAT=image%%2Fpng&TRANSPARENT=true", layer, rand()*1e6, rand()*1e6, rand()*1e6, rand()*1e6);
            else if (kind == 1) path = sprintf("/geoserver/gwc/service/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=%s&TILEMATRIXSET=EPSG:3857&TILEMATRIX=EPSG:3857:%d&TILEROW=%d&TILECOL=%d&FORMAT=image/png", layer, int(rand()*18), int(rand()*5000), int(rand()*5000));
            else if (kind == 2) path = sprintf("/geoserver/ows?service=WFS&version=2.0.0&request=GetFeature&typeNames=%s&outputFormat=application/json&count=%d", layer, int(rand()*1000));
            else if (kind == 3) path = sprintf("/geoserver/ogc/features/v1/collections/%s/items?f=json&limit=%d", layer, int(rand()*100));
            else path = sprintf("/mapstore/dist/ms2-geostore/%d.js", int(rand()*500));
            printf "%d.%d.%d.%d - - [%02d/Mar/2026:%02d:%02d:%02d +0100] \"GET %s HTTP/1.1\" %d %d \"https://portal.example.org/mapstore/#/viewer/%d\" \"%s\"\n",
                10 + int(rand()*200), int(rand()*255), int(rand()*255), int(rand()*255), d, h, m, s, path,
                (rand() < 0.97 ? 200 : 404), int(rand()*100000), int(rand()*50), ua;
        }
    }' > "$1"
}

# make_otel FILE RECORDS: geOrchestra gateway records of about 3.7 KB.
make_otel() {
    awk -v n="$2" 'BEGIN {
        srand(7);
        split("psc:cours_eau psc:ortho topp:states sf:roads sf:bugsites ign:communes", layers, " ");
        cookie = "";
        for (k = 0; k < 14; k++) cookie = cookie sprintf("c%d=%032d; ", k, k);
        for (i = 0; i < n; i++) {
            layer = layers[1 + int(rand() * 6)];
            printf "{\"timestamp\":\"2026-03-01T%02d:%02d:%02d.%09dZ\",\"span_id\":\"%016x\",\"trace_id\":\"%032x\",", int(i/3600)%24, int(i/60)%60, i%60, int(rand()*1e9), i, i;
            printf "\"message\":\"\",\"source_type\":\"opentelemetry\",\"severity_text\":\"INFO\",\"severity_number\":9,\"flags\":0,\"dropped_attributes_count\":0,";
            printf "\"observed_timestamp\":\"2026-03-01T00:00:00Z\",\"scope\":{\"name\":\"org.georchestra.gateway.accesslog\"},";
            printf "\"resources\":{\"service.name\":\"gateway\",\"host.name\":\"gateway-7d9f8c6b5-x2k4p\",\"process.runtime.name\":\"OpenJDK Runtime Environment\",\"process.runtime.version\":\"21.0.5+11-LTS\",\"telemetry.sdk.language\":\"java\",\"telemetry.sdk.name\":\"opentelemetry\",\"telemetry.sdk.version\":\"1.44.1\"},";
            printf "\"attributes\":{\"enduser.auth-method\":\"GeorchestraUserNamePasswordAuthenticationToken\",\"enduser.id\":\"user%d\",\"enduser.org.id\":\"ORG%d\",", i % 300, i % 40;
            printf "\"enduser.org.uuid\":\"bddf474d-125d-4b18-92bd-bd8ebb6699a9\",\"enduser.uuid\":\"0c6bb556-4ee8-46f2-892d-6116e262b489\",";
            printf "\"enduser.roles\":\"ROLE_SUPERUSER,ROLE_MAPSTORE_ADMIN,ROLE_USER,ROLE_ADMINISTRATOR,ROLE_SUPERSET_ADMIN,ROLE_GN_ADMIN,ROLE_EMAILPROXY,ROLE_IMPORT\",";
            printf "\"enduser.firstname\":\"Test\",\"enduser.lastname\":\"Admin\",\"enduser.org.fullname\":\"Project Steering Committee\",";
            printf "\"http.request.header.User-Agent\":\"Mozilla/5.0 (X11; Linux x86_64; rv:1%d.0) Gecko/20100101 Firefox/1%d.0\",", i % 5, i % 5;
            printf "\"http.request.header.Referer\":\"https://georchestra.example.org/mapstore/?utm_source=x\",\"http.request.header.Cookie\":\"%s\",", cookie;
            printf "\"http.request.method\":\"GET\",\"http.request.id\":\"%d\",\"http.request.remote-addr\":\"172.18.0.%d/<unresolved>:42032\",", i, i % 250;
            printf "\"http.request.parameter.BBOX\":\"%f,%f,%f,%f\",\"http.request.parameter.LAYERS\":\"%s\",", rand()*1e6, rand()*1e6, rand()*1e6, rand()*1e6, layer;
            printf "\"http.request.parameter.REQUEST\":\"GetMap\",\"http.request.parameter.SERVICE\":\"WMS\",\"http.request.parameter.SRS\":\"EPSG:2154\",";
            printf "\"http.request.parameter.STYLES\":\"\",\"http.request.parameter.FORMAT\":\"image/png\",\"http.request.parameter.TRANSPARENT\":\"true\",";
            printf "\"http.request.parameter.VERSION\":\"1.1.1\",\"http.request.parameter.WIDTH\":\"%d\",\"http.request.parameter.HEIGHT\":\"%d\",", 256 + (i % 3) * 256, 256;
            printf "\"http.request.path\":\"/geoserver/psc/wms\",\"http.request.query-string\":\"SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&FORMAT=image%%2Fpng&TRANSPARENT=true&LAYERS=%s&SRS=EPSG%%3A2154&STYLES=&WIDTH=256&HEIGHT=256\",", layer;
            printf "\"application.name\":\"gateway\",\"application.version\":\"2.0.0\",\"server.address\":\"georchestra.example.org\",\"http.status_code\":\"200\"}}\n";
        }
    }' > "$1"
}
