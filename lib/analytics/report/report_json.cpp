// The machine form: one JSON object, counts as numbers.
#include <analytics/report/report.hpp>
#include <analytics/util/json_document.hpp>

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

Json ranking_json(const Ranking& ranking) {
    Json json;
    json["title"] = ranking.title;
    json["unit"] = ranking.unit;
    json["total"] = ranking.total;
    json["distinct"] = ranking.distinct;
    json["columns"] = ranking.columns;
    json["rows"] = array_of(ranking.rows, [](const RankingRow& row) {
        return Json{{"labels", row.labels}, {"count", row.count}};
    });
    return json;
}

} // namespace

std::string report_json(const Report& r) {
    Json json;
    json["from"] = r.from;
    json["to"] = r.to;
    json["requested_from"] = r.requested_from;
    json["requested_to"] = r.requested_to;
    json["timezone"] = r.timezone;
    json["schema"] = r.schema;
    json["generated_at"] = r.generated_at;
    json["last_rolled_up_day"] =
        r.last_rolled_up_day.empty() ? Json(nullptr) : Json(r.last_rolled_up_day);
    json["top"] = r.top;
    json["requests"] = r.requests;
    json["ogc_requests"] = r.ogc_requests;
    json["searches"] = r.searches;
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
    json["days"] = array_of(r.days, [](const DayCount& day) {
        return Json{
            {"day", day.day}, {"requests", day.requests}, {"ogc_requests", day.ogc_requests}};
    });
    Json rankings = Json::object();
    for (const Ranking& ranking : r.rankings) {
        rankings[ranking.id] = ranking_json(ranking);
    }
    json["rankings"] = std::move(rankings);
    return dump_json(json);
}

} // namespace analytics::report
