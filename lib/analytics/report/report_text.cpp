// The terminal form: aligned tables, counts with thousands separators.
#include <analytics/report/report.hpp>
#include <analytics/time/civil_day.hpp>
#include <analytics/util/text.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace analytics::report {

namespace {

constexpr std::size_t max_label = 48;

std::size_t width(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s) {
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80; // code points
    }
    return n;
}

std::string cell(std::string_view s) {
    if (width(s) <= max_label) {
        return std::string(s);
    }
    return std::string(truncate_utf8(s, max_label - 1)) + "…";
}

void pad(std::string& out, std::string_view s, std::size_t w, bool right) {
    const std::size_t n = width(s);
    if (right) {
        out.append(w > n ? w - n : 0, ' ');
    }
    out += s;
    if (!right) {
        out.append(w > n ? w - n : 0, ' ');
    }
}

std::string count(std::uint64_t n) {
    return with_thousands(static_cast<std::int64_t>(n));
}

// Rows of cells under a header; right[i]: column i is right-aligned.
void table(std::string& out, const std::vector<std::string>& header,
           const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right) {
    std::vector<std::size_t> widths(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) {
        widths[i] = width(header[i]);
        for (const auto& row : rows) {
            widths[i] = std::max(widths[i], width(row[i]));
        }
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text = "  ";
        for (std::size_t i = 0; i < cells.size(); ++i) {
            pad(text, cells[i], widths[i], right[i]);
            text += i + 1 < cells.size() ? "  " : "";
        }
        while (!text.empty() && text.back() == ' ') {
            text.pop_back();
        }
        out += text + "\n";
    };
    line(header);
    std::vector<std::string> rule;
    for (const std::size_t w : widths) {
        std::string dashes;
        for (std::size_t i = 0; i < w; ++i) {
            dashes += "─";
        }
        rule.push_back(dashes);
    }
    line(rule);
    for (const auto& row : rows) {
        line(row);
    }
}

} // namespace

// "2026-11-09", "2026-11-09 .. 2026-11-15", "2026-11": a period as people read it.
std::string period_label(const Period& p, const std::string& granularity) {
    if (granularity == "day") {
        return p.from;
    }
    if (granularity == "month" && p.from.substr(8) == "01" &&
        p.from.substr(0, 7) == p.to.substr(0, 7)) {
        int year = 0;
        unsigned month = 0, day = 0;
        time::civil_from_days(time::parse_day(p.to, "day") + 1, year, month, day);
        if (day == 1) { // the month is whole
            return p.from.substr(0, 7);
        }
    }
    return p.from + " .. " + p.to;
}

std::string format_measure(const Column& measure, const std::optional<double>& value) {
    if (!value) {
        return measure.missing;
    }
    const std::string& f = measure.field;
    if (f.size() > 3 && f.compare(f.size() - 3, 3, "_ms") == 0) {
        char text[32];
        std::snprintf(text, sizeof text, "%.1f", *value);
        return text;
    }
    return with_thousands(std::llround(*value));
}

namespace {

// One line per period, with a bar of its requests (OGC requests when the
// report is filtered).
void periods_table(std::string& out, const Report& r) {
    std::uint64_t peak = 1;
    for (const auto& p : r.periods) {
        peak = std::max({peak, p.requests.value_or(0), p.ogc_requests});
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : r.periods) {
        std::string bar;
        const auto cells = static_cast<std::size_t>(
            30.0 * static_cast<double>(p.requests.value_or(p.ogc_requests)) /
                static_cast<double>(peak) +
            0.5);
        for (std::size_t i = 0; i < cells; ++i) {
            bar += "▇";
        }
        rows.push_back({period_label(p, r.granularity), p.requests ? count(*p.requests) : "-",
                        count(p.ogc_requests), bar});
    }
    table(out, {r.granularity, "requests", "OGC", ""}, rows, {false, true, true, false});
}

} // namespace

std::string report_text(const Report& r) {
    std::string out = r.title + " " + r.from + " to " + r.to + " (" + r.timezone +
                      "), from the rollup tables of schema " + r.schema + "\n";
    if (r.empty()) {
        out += "\nNo rolled-up data in this range";
        out += r.last_rolled_up_day.empty()
                   ? ": nothing has been rolled up yet (run 'analytics maintain' or 'analytics "
                     "rollup').\n"
                   : "; the last day rolled up is " + r.last_rolled_up_day + ".\n";
        return out;
    }
    for (const auto& note : r.notes) {
        out += "\nNote: " + note + ".\n";
    }
    out += "\n  ";
    if (!r.filters.any()) {
        out += count(r.requests) + " requests, ";
    }
    out += count(r.ogc_requests) + " OGC requests";
    if (r.searches > 0) {
        out += ", " + count(r.searches) + " geoportal searches";
    }
    out += ", over " + std::to_string(r.day_count) + " days";
    if (!r.months.empty()) {
        out += " (" + std::to_string(r.days.size()) + " with daily rows)";
    }
    out += "\n";
    if (r.previous) {
        const Previous& p = *r.previous;
        out += "  previous " + std::to_string(r.day_count) + " days (" + p.from + " .. " + p.to +
               "): ";
        if (p.requests) {
            out += count(*p.requests) + " requests (now " + format_change(r.requests, *p.requests) +
                   "), ";
        }
        out += count(p.ogc_requests) + " OGC requests (now " +
               format_change(r.ogc_requests, p.ogc_requests) + ")";
        if (p.searches && (*p.searches > 0 || r.searches > 0)) {
            out += ", " + count(*p.searches) + " searches (now " +
                   format_change(r.searches, *p.searches) + ")";
        }
        out += "\n";
    }
    if (r.traffic) {
        const Traffic& t = *r.traffic;
        out += "  every request" + (r.filters.app.empty() ? "" : " of app " + r.filters.app) +
               " (access summary, " + std::to_string(t.days) + " days): " + count(t.requests) +
               " requests, " + count(t.visitors) + " visitors (distinct per day, added up), " +
               (t.bytes_sent ? count(*t.bytes_sent) : std::string("unknown")) + " bytes served, " +
               count(t.status_4xx) + " 4xx, " + count(t.status_5xx) + " 5xx\n";
    }

    std::vector<std::vector<std::string>> rows;
    if (!r.months.empty()) {
        out += "\nOGC requests per month (daily rows pruned)\n";
        for (const auto& m : r.months) {
            rows.push_back({m.month, m.from + " .. " + m.to, count(m.ogc_requests)});
        }
        table(out, {"month", "days", "OGC"}, rows, {false, false, true});
    }
    if (!r.periods.empty()) {
        out += "\nRequests per " + r.granularity + "\n";
        periods_table(out, r);
    }

    for (const auto& ranking : r.rankings) {
        out += "\n" + ranking.title + " (" + count(ranking.distinct) + " distinct; shares of " +
               count(ranking.total) + " " + ranking.unit + ")\n";
        if (ranking.rows.empty()) {
            out += "  none in this range\n";
            continue;
        }
        std::vector<std::string> header;
        for (const auto& column : ranking.columns) {
            header.push_back(column.heading);
        }
        header.push_back(ranking.unit == "OGC requests" ? "requests" : ranking.unit);
        header.push_back("share");
        for (const auto& measure : ranking.measures) {
            header.push_back(measure.heading);
        }
        rows.clear();
        for (const auto& row : ranking.rows) {
            std::vector<std::string> cells;
            for (std::size_t i = 0; i < row.labels.size(); ++i) {
                cells.push_back(cell(ranking.label(row, i)));
            }
            cells.push_back(count(row.count));
            cells.push_back(format_share(row.count, ranking.total));
            for (std::size_t i = 0; i < ranking.measures.size(); ++i) {
                cells.push_back(format_measure(ranking.measures[i], row.measures[i]));
            }
            rows.push_back(std::move(cells));
        }
        std::vector<bool> right(header.size(), true);
        std::fill(right.begin(), right.begin() + ranking.columns.size(), false);
        table(out, header, rows, right);
    }
    return out;
}

} // namespace analytics::report
