-- parameters: from to months kept_from kept_to top app workspace service
-- Every ranking of the report over the local days $1 .. $2: per ranking (its
-- id, as in report.cpp), the $6 largest groups (labels l1 .. l3; NULL where
-- the value is missing or the column unused) by count, with their measures
-- m1 .. m4 (NULL where unused), each with the sum over every group and their
-- number; the hours ranking is every local hour, in order. OGC rows only of
-- application $7, workspace $8, service $9 when not empty, endpoints only of
-- application $7 (report.cpp leaves the other rankings out then), countries
-- likewise. The daily_access_summary and daily_country_summary rankings have
-- no rows for pruned days.
WITH ogc_rows AS (
    -- The OGC rollup rows of the range: the daily ones, and for pruned days
    -- the monthly rows of their months (first days $3) less every daily row
    -- those months still have (the days $4[i] .. $5[i]), as negative counts.
    SELECT app_name, user_name, org_name, workspaces, layers, service, request, is_download,
           download_format, user_agent_family, referrer, nb_req
    FROM ogc_summary_daily
    WHERE bucket_daily >= $1::date::timestamptz AND bucket_daily < ($2::date + 1)::timestamptz
    UNION ALL
    SELECT app_name, user_name, org_name, workspaces, layers, service, request, is_download,
           download_format, user_agent_family, referrer, nb_req
    FROM ogc_summary_monthly
    WHERE bucket_monthly = ANY ($3::date[]::timestamptz[])
    UNION ALL
    SELECT d.app_name, d.user_name, d.org_name, d.workspaces, d.layers, d.service, d.request,
           d.is_download, d.download_format, d.user_agent_family, d.referrer, -d.nb_req
    FROM unnest($4::date[], $5::date[]) AS kept(first, last)
    JOIN ogc_summary_daily AS d
      ON d.bucket_daily >= kept.first::timestamptz
     AND d.bucket_daily < (kept.last + 1)::timestamptz
), ogc AS (
    SELECT * FROM ogc_rows AS o
    WHERE ogc_row_matches(o.app_name, o.workspaces, o.service, $7, $8, $9)
), api AS (
    SELECT * FROM daily_api_usage_metrics WHERE metric_date BETWEEN $1::date AND $2::date
), search_days AS (
    SELECT * FROM daily_search_metrics WHERE metric_date BETWEEN $1::date AND $2::date
), resource AS (
    SELECT * FROM daily_resource_metrics WHERE metric_date BETWEEN $1::date AND $2::date
), access_days AS (
    SELECT * FROM daily_access_summary WHERE metric_date BETWEEN $1::date AND $2::date
), country_days AS (
    SELECT * FROM daily_country_summary WHERE metric_date BETWEEN $1::date AND $2::date
), counted AS (
    -- "ws:layer": layers and workspaces are parallel lists when layers were
    -- qualified (ign:a,env:b -> a,b / ign,env); one workspace (from the
    -- path) applies to every layer.
    SELECT 'layers' AS ranking,
           CASE WHEN strpos(l.name, ':') > 0 THEN btrim(l.name)
                WHEN coalesce(btrim(l.ws), '') <> '' THEN btrim(l.ws) || ':' || btrim(l.name)
                WHEN coalesce(o.workspaces, '') <> '' AND strpos(o.workspaces, ',') = 0
                THEN o.workspaces || ':' || btrim(l.name)
                ELSE btrim(l.name) END AS l1,
           o.service AS l2, o.request AS l3, sum(o.nb_req) AS n
    FROM ogc AS o
    CROSS JOIN LATERAL unnest(string_to_array(o.layers, ','),
                              string_to_array(o.workspaces, ',')) AS l(name, ws)
    WHERE btrim(l.name) <> ''
    GROUP BY l1, l2, l3 HAVING sum(o.nb_req) <> 0
    UNION ALL
    SELECT 'services', o.service AS l1, o.request AS l2,
           NULL::text, sum(o.nb_req)
    FROM ogc AS o
    GROUP BY l1, l2 HAVING sum(o.nb_req) <> 0
    UNION ALL
    -- A request naming two layers of one workspace counts once for it.
    SELECT 'workspaces', w.name, NULL, NULL, sum(o.nb_req)
    FROM ogc AS o
    CROSS JOIN LATERAL (SELECT DISTINCT btrim(x)
                        FROM unnest(string_to_array(o.workspaces, ',')) AS x) AS w(name)
    WHERE w.name <> ''
    GROUP BY w.name HAVING sum(o.nb_req) <> 0
    UNION ALL
    SELECT 'organisations', o.org_name AS l1, NULL, NULL, sum(o.nb_req)
    FROM ogc AS o
    GROUP BY l1 HAVING sum(o.nb_req) <> 0
    UNION ALL
    SELECT 'users', o.user_name AS l1, o.org_name AS l2,
           NULL, sum(o.nb_req)
    FROM ogc AS o
    GROUP BY l1, l2 HAVING sum(o.nb_req) <> 0
    UNION ALL
    SELECT 'applications', o.app_name AS l1, NULL, NULL, sum(o.nb_req)
    FROM ogc AS o
    GROUP BY l1 HAVING sum(o.nb_req) <> 0
    UNION ALL
    -- The kind of client is filled in by report.cpp.
    SELECT 'user_agents', o.user_agent_family AS l1, NULL, NULL, sum(o.nb_req)
    FROM ogc AS o
    GROUP BY l1 HAVING sum(o.nb_req) <> 0
    UNION ALL
    SELECT 'referrers',
           lower(substring(o.referrer from '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)')) AS l1,
           NULL, NULL, sum(o.nb_req)
    FROM ogc AS o
    GROUP BY l1 HAVING sum(o.nb_req) <> 0
    UNION ALL
    SELECT 'status_codes', a.status_code::text AS l1, NULL, NULL,
           sum(a.requests_count)
    FROM api AS a
    GROUP BY l1 HAVING sum(a.requests_count) <> 0
    UNION ALL
    -- GoAccess' "Not Found URLs": the templated endpoints answered 404.
    SELECT 'not_found', a.endpoint AS l1, NULL, NULL, sum(a.requests_count)
    FROM api AS a
    WHERE a.status_code = 404
    GROUP BY l1 HAVING sum(a.requests_count) <> 0
    UNION ALL
    SELECT 'downloads', o.download_format AS l1, NULL, NULL, sum(o.nb_req)
    FROM ogc AS o
    WHERE o.is_download = 'true'
    GROUP BY l1 HAVING sum(o.nb_req) <> 0
    UNION ALL
    SELECT 'searches', s.client_name AS l1, s.view AS l2,
           NULL, sum(s.searches_count)
    FROM search_days AS s
    GROUP BY l1, l2 HAVING sum(s.searches_count) <> 0
    UNION ALL
    SELECT 'resources', r.resource_id, r.event_type, NULL, sum(r.event_count)
    FROM resource AS r
    GROUP BY r.resource_id, r.event_type HAVING sum(r.event_count) <> 0
), grouped AS (
    SELECT ranking, l1, l2, l3, n, NULL::numeric AS m1, NULL::numeric AS m2,
           NULL::numeric AS m3, NULL::double precision AS m4
    FROM counted
    UNION ALL
    -- A percentile of several days cannot be made of daily ones: the
    -- highest daily p95 of the endpoint.
    SELECT 'endpoints', e.endpoint, e.app_name, NULL, sum(e.requests), sum(e.status_4xx),
           sum(e.status_5xx), sum(e.bytes_sent), max(e.response_time_p95)
    FROM access_days AS e
    WHERE e.level = 'endpoint' AND ($7 = '' OR e.app_name = $7)
    GROUP BY e.endpoint, e.app_name HAVING sum(e.requests) <> 0
    UNION ALL
    -- Requests with a country (geoip.database) and the visitors of each day, added up.
    SELECT 'countries', c.country_code, NULL, NULL, sum(c.requests), sum(c.visitors), NULL, NULL,
           NULL
    FROM country_days AS c
    WHERE $7 = '' OR c.app_name = $7
    GROUP BY c.country_code HAVING sum(c.requests) <> 0
    UNION ALL
    SELECT 'hours', lpad(h::text, 2, '0'), NULL, NULL, coalesce(sum(a.requests), 0),
           NULL, NULL, NULL, NULL
    FROM generate_series(0, 23) AS h
    LEFT JOIN access_days AS a ON a.level = 'hour' AND a.hour_of_day = h
    GROUP BY h
)
SELECT ranking, l1, l2, l3, n, total, groups_count, m1::text, m2::text, m3::text, m4::text
FROM (
    SELECT grouped.*, sum(n) OVER whole AS total, count(*) OVER whole AS groups_count,
           row_number() OVER (PARTITION BY ranking
                              ORDER BY CASE WHEN ranking = 'hours' THEN l1 END, n DESC, l1, l2,
                                       l3) AS place
    FROM grouped
    WINDOW whole AS (PARTITION BY ranking)
) AS ranked
WHERE place <= $6::int OR ranking = 'hours'
ORDER BY ranking, place
