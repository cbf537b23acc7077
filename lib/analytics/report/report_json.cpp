// The machine form: one JSON object, counts as numbers.
#include <analytics/report/report.hpp>
#include <analytics/util/json_text.hpp>

namespace analytics::report {

namespace {

// Appends [item,…], each item written by write(item).
template <typename Item, typename Write>
void append_array(std::string& out, const std::vector<Item>& items, Write write) {
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += i == 0 ? "" : ",";
        write(items[i]);
    }
    out += ']';
}

void append_strings(std::string& out, const std::vector<std::string>& items) {
    append_array(out, items, [&out](const std::string& item) { append_json_string(out, item); });
}

} // namespace

std::string report_json(const Report& r) {
    std::string out = "{";
    append_json_member(out, "from", r.from);
    out += ',';
    append_json_member(out, "to", r.to);
    out += ',';
    append_json_member(out, "requested_from", r.requested_from);
    out += ',';
    append_json_member(out, "requested_to", r.requested_to);
    out += ',';
    append_json_member(out, "timezone", r.timezone);
    out += ',';
    append_json_member(out, "schema", r.schema);
    out += ',';
    append_json_member(out, "generated_at", r.generated_at);
    out += ",\"last_rolled_up_day\":";
    if (r.last_rolled_up_day.empty()) {
        out += "null";
    } else {
        append_json_string(out, r.last_rolled_up_day);
    }
    out += ',';
    append_json_number(out, "top", r.top);
    out += ',';
    append_json_number(out, "requests", static_cast<std::int64_t>(r.requests));
    out += ',';
    append_json_number(out, "ogc_requests", static_cast<std::int64_t>(r.ogc_requests));
    out += ',';
    append_json_number(out, "searches", static_cast<std::int64_t>(r.searches));
    out += ',';
    append_json_number(out, "day_count", static_cast<std::int64_t>(r.day_count));
    out += ",\"notes\":";
    append_strings(out, r.notes);
    out += ",\"pruned\":";
    append_array(out, r.pruned, [&out](const PrunedPart& part) {
        out += '{';
        append_json_member(out, "from", part.from);
        out += ',';
        append_json_member(out, "to", part.to);
        out += ',';
        append_json_member(out, "note", part.note);
        out += '}';
    });
    out += ",\"months\":";
    append_array(out, r.months, [&out](const MonthCount& month) {
        out += '{';
        append_json_member(out, "month", month.month);
        out += ',';
        append_json_member(out, "from", month.from);
        out += ',';
        append_json_member(out, "to", month.to);
        out += ',';
        append_json_number(out, "ogc_requests", static_cast<std::int64_t>(month.ogc_requests));
        out += '}';
    });
    out += ",\"days\":";
    append_array(out, r.days, [&out](const DayCount& day) {
        out += '{';
        append_json_member(out, "day", day.day);
        out += ',';
        append_json_number(out, "requests", static_cast<std::int64_t>(day.requests));
        out += ',';
        append_json_number(out, "ogc_requests", static_cast<std::int64_t>(day.ogc_requests));
        out += '}';
    });
    out += ",\"rankings\":{";
    for (std::size_t i = 0; i < r.rankings.size(); ++i) {
        const Ranking& ranking = r.rankings[i];
        out += i == 0 ? "" : ",";
        append_json_string(out, ranking.id);
        out += ":{";
        append_json_member(out, "title", ranking.title);
        out += ',';
        append_json_member(out, "unit", ranking.unit);
        out += ',';
        append_json_number(out, "total", static_cast<std::int64_t>(ranking.total));
        out += ',';
        append_json_number(out, "distinct", static_cast<std::int64_t>(ranking.distinct));
        out += ",\"columns\":";
        append_strings(out, ranking.columns);
        out += ",\"rows\":";
        append_array(out, ranking.rows, [&out](const RankingRow& row) {
            out += "{\"labels\":";
            append_strings(out, row.labels);
            out += ',';
            append_json_number(out, "count", static_cast<std::int64_t>(row.count));
            out += '}';
        });
        out += '}';
    }
    out += "}}";
    return out;
}

} // namespace analytics::report
