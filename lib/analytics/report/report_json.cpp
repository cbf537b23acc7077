// The machine form: one JSON object, counts as numbers.
#include <analytics/report/report.hpp>
#include <analytics/util/json_document.hpp>

#include <cmath>

namespace analytics::report {

namespace {

using Json = nlohmann::ordered_json;

// Each item as write(item) makes it.
template <typename Item, typename Write>
Json array_of(const std::vector<Item>& items, Write write) {
    Json array = Json::array();
    for (const auto& item : items) {
        array.push_back(write(item));
    }
    return array;
}

Json optional_json(const std::optional<std::uint64_t>& value) {
    return value ? Json(*value) : Json(nullptr);
}

// Rows with named fields: {"layer": "ign:roads", "service": "WMS", …,
// "count": 12, "share": 0.0252}; null where a value is missing.
Json ranking_json(const Ranking& ranking) {
    Json json;
    json["title"] = ranking.title;
    json["unit"] = ranking.unit;
    json["total"] = ranking.total;
    json["counted"] = ranking.counted;
    json["distinct"] = ranking.distinct;
    json["columns"] = array_of(ranking.columns, [](const Column& column) {
        return Json{
            {"field", column.field}, {"heading", column.heading}, {"missing", column.missing}};
    });
    json["measures"] = array_of(ranking.measures, [](const Column& measure) {
        return Json{{"field", measure.field}, {"heading", measure.heading}};
    });
    json["rows"] = array_of(ranking.rows, [&ranking](const RankingRow& row) {
        Json out;
        for (std::size_t i = 0; i < ranking.columns.size(); ++i) {
            out[ranking.columns[i].field] = row.labels[i] ? Json(*row.labels[i]) : Json(nullptr);
        }
        out["count"] = row.count;
        out["share"] = ranking.total == 0
                           ? 0.0
                           : static_cast<double>(row.count) / static_cast<double>(ranking.total);
        for (std::size_t i = 0; i < ranking.measures.size(); ++i) {
            const auto& value = row.measures[i];
            // Counts and bytes as integers, times as they are.
            out[ranking.measures[i].field] = !value ? Json(nullptr)
                                             : *value == std::floor(*value)
                                                 ? Json(static_cast<std::int64_t>(*value))
                                                 : Json(*value);
        }
        return out;
    });
    return json;
}

} // namespace

std::string report_json(const Report& r) {
    const bool filtered = r.filters.any();
    Json json;
    json["title"] = r.title;
    json["from"] = r.from;
    json["to"] = r.to;
    json["requested_from"] = r.requested_from;
    json["requested_to"] = r.requested_to;
    json["timezone"] = r.timezone;
    json["schema"] = r.schema;
    json["generated_at"] = r.generated_at;
    json["last_rolled_up_day"] = text_or_null(r.last_rolled_up_day);
    json["top"] = r.top;
    json["filters"] = Json{{"app", text_or_null(r.filters.app)},
                           {"workspace", text_or_null(r.filters.workspace)},
                           {"service", text_or_null(r.filters.service)}};
    json["requests"] = filtered ? Json(nullptr) : Json(r.requests);
    json["ogc_requests"] = r.ogc_requests;
    json["searches"] = filtered ? Json(nullptr) : Json(r.searches);
    json["day_count"] = r.day_count;
    json["notes"] = r.notes;
    json["pruned"] = array_of(r.pruned, [](const PrunedPart& part) {
        return Json{{"from", part.from}, {"to", part.to}, {"note", part.note}};
    });
    json["months"] = array_of(r.months, [](const MonthCount& month) {
        return Json{{"month", month.month},
                    {"from", month.from},
                    {"to", month.to},
                    {"ogc_requests", month.ogc_requests}};
    });
    json["days"] = array_of(r.days, [filtered](const DayCount& day) {
        return Json{{"day", day.day},
                    {"requests", filtered ? Json(nullptr) : Json(day.requests)},
                    {"ogc_requests", day.ogc_requests}};
    });
    json["granularity"] = r.granularity;
    json["periods"] = array_of(r.periods, [](const Period& period) {
        return Json{{"from", period.from},
                    {"to", period.to},
                    {"requests", optional_json(period.requests)},
                    {"ogc_requests", period.ogc_requests}};
    });
    json["previous"] = r.previous ? Json{{"from", r.previous->from},
                                         {"to", r.previous->to},
                                         {"requests", optional_json(r.previous->requests)},
                                         {"ogc_requests", r.previous->ogc_requests},
                                         {"searches", optional_json(r.previous->searches)}}
                                  : Json(nullptr);
    json["traffic"] = r.traffic ? Json{{"requests", r.traffic->requests},
                                       {"visitors_daily_sum", r.traffic->visitors},
                                       {"bytes_sent", optional_json(r.traffic->bytes_sent)},
                                       {"status_4xx", r.traffic->status_4xx},
                                       {"status_5xx", r.traffic->status_5xx},
                                       {"days", r.traffic->days}}
                                : Json(nullptr);
    Json rankings = Json::object();
    for (const Ranking& ranking : r.rankings) {
        rankings[ranking.id] = ranking_json(ranking);
    }
    json["rankings"] = std::move(rankings);
    return dump_json(json, 3, {{"share", 6}}); // shares to a millionth
}

} // namespace analytics::report
