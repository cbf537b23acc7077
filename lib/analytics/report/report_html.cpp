// The HTML form: one file, no network access needed to view it. The tables
// are plain HTML (readable without scripts); a small inline script draws
// the charts as SVG from the same data, embedded as JSON.
#include <analytics/report/report.hpp>
#include <analytics/util/text.hpp>

#include <cstdio>
#include <optional>

namespace analytics::report {

namespace {

std::string escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string count(std::uint64_t n) {
    return with_thousands(static_cast<std::int64_t>(n));
}

// Which rankings get a chart, and of which kind.
const char* chart_kind(const std::string& id) {
    if (id == "status_codes") {
        return "donut";
    }
    if (id == "services" || id == "users" || id == "applications" || id == "searches" ||
        id == "resources" || id == "endpoints" || id == "hours") {
        return nullptr; // the table says it all
    }
    return "bars";
}

constexpr const char* page_head = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="analytics report">
<title>{{TITLE}}</title>
<style>
:root { --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --card: #fff; --bg: #f5f7fa;
        --all: #2f6fde; --ogc: #e8833a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: var(--bg); }
header { padding: 24px 32px 8px; }
h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: var(--muted); }
.totals { display: flex; flex-wrap: wrap; gap: 12px; padding: 12px 32px; }
.total { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
         padding: 10px 16px; min-width: 160px; }
.total b { display: block; font-size: 22px; }
.total span { color: var(--muted); }
.total small { display: block; color: var(--muted); font-size: 12px; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 16px;
       padding: 8px 32px 32px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
          padding: 16px; overflow: hidden; }
section.wide { grid-column: 1 / -1; }
h2 { margin: 0 0 2px; font-size: 16px; }
h2 + p { margin: 0 0 10px; color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line);
         max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
th { color: var(--muted); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart { margin-bottom: 10px; }
.chart svg { display: block; width: 100%; height: auto; }
.chart text { font-size: 11px; fill: var(--muted); }
.legend { display: flex; gap: 14px; font-size: 12px; color: var(--muted); margin: 4px 0 8px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
            margin-right: 5px; vertical-align: -1px; }
.empty { color: var(--muted); }
.notes { margin: 0 32px 8px; padding: 8px 16px; background: #fff8e6; border: 1px solid #f0d9a0;
         border-radius: 8px; }
.notes p { margin: 4px 0; }
footer { padding: 0 32px 24px; color: var(--muted); font-size: 12px; }
@media print { body { background: #fff; } section { break-inside: avoid; } }
</style>
</head>
<body>
)html";

constexpr const char* page_script = R"html(<script>
"use strict";
(function () {
  var root = document.documentElement;
  window.addEventListener("error", function (e) {
    root.setAttribute("data-error", String(e.message || e));
  });
  var svgNS = "http://www.w3.org/2000/svg";
  var palette = ["#2f6fde", "#e8833a", "#3ba272", "#9a60b4", "#d4504b", "#2fb3c4",
                 "#c2a13a", "#7a8795", "#e36fa8", "#5470c6"];
  var kindColour = { "GIS client": "#3ba272", "browser": "#2f6fde", "bot": "#d4504b",
                     "script": "#9a60b4", "other": "#7a8795" };
  function el(name, attrs, parent) {
    var node = document.createElementNS(svgNS, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, value, anchor) {
    var t = el("text", { x: x, y: y, "text-anchor": anchor || "start" }, parent);
    t.textContent = value;
    return t;
  }
  function fmt(n) { return n.toLocaleString("en-US"); }
  function short(n) {
    if (n >= 1e6) return (n / 1e6).toFixed(n >= 1e7 ? 0 : 1) + "M";
    if (n >= 1e3) return (n / 1e3).toFixed(n >= 1e4 ? 0 : 1) + "k";
    return String(n);
  }
  function niceMax(v) {
    if (v <= 0) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var m = [1, 2, 2.5, 5, 10].find(function (s) { return s * p >= v; });
    return m * p;
  }
  function tip(node, value) { el("title", {}, node).textContent = value; }

  // Periods (days, weeks or months); requests is null in a filtered report.
  function daysChart(host, days, granularity) {
    var W = 1100, H = 260, L = 56, R = 12, T = 10, B = 34;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img",
                          "aria-label": "Requests per " + granularity }, host);
    days = days.map(function (d) {
      return { day: d.from, requests: d.requests === null ? d.ogc_requests : d.requests,
               ogc_requests: d.ogc_requests };
    });
    var max = niceMax(Math.max.apply(null, days.map(function (d) {
      return Math.max(d.requests, d.ogc_requests); }).concat([1])));
    var n = days.length, step = (W - L - R) / Math.max(n, 1);
    var y = function (v) { return T + (H - T - B) * (1 - v / max); };
    for (var i = 0; i <= 5; i++) {
      var v = max * i / 5;
      el("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#e4e7eb" }, svg);
      text(svg, L - 6, y(v) + 4, short(v), "end");
    }
    var every = Math.max(1, Math.ceil(n / 12));
    days.forEach(function (d, i) {
      var x = L + i * step;
      var bar = el("rect", { x: x + step * 0.12, width: Math.max(1, step * 0.76),
                             y: y(d.requests), height: Math.max(0, y(0) - y(d.requests)),
                             fill: "#2f6fde", opacity: 0.85, "class": "bar" }, svg);
      tip(bar, d.day + ": " + fmt(d.requests) + " requests, " + fmt(d.ogc_requests) + " OGC");
      if (i % every === 0) {
        text(svg, x + step / 2, H - 12, granularity === "month" ? d.day.slice(0, 7) : d.day.slice(5),
             "middle");
      }
    });
    var points = days.map(function (d, i) {
      return (L + i * step + step / 2).toFixed(1) + "," + y(d.ogc_requests).toFixed(1);
    }).join(" ");
    el("polyline", { points: points, fill: "none", stroke: "#e8833a", "stroke-width": 2.5 }, svg);
    days.forEach(function (d, i) {
      el("circle", { cx: L + i * step + step / 2, cy: y(d.ogc_requests), r: 2.5,
                     fill: "#e8833a" }, svg);
    });
  }

  // Label i of a row: its value, or what the column shows for a missing one.
  function labels(ranking, r) {
    return ranking.columns.map(function (c) {
      return r[c.field] === null ? c.missing : String(r[c.field]);
    });
  }

  // Labels are drawn whole: the label column is as wide as the widest one,
  // measured once drawn, and the chart scales to the section's width.
  function barsChart(host, ranking) {
    var rows = ranking.rows.slice(0, 10);
    var row = 24, B = 260, R = 70, H = rows.length * row + 6;
    var svg = el("svg", { role: "img", "aria-label": ranking.title }, host);
    var names = rows.map(function (r) {
      var l = labels(ranking, r);
      return ranking.id === "layers" && l[1] ? l[0] + " · " + l[1] : l[0];
    });
    var texts = names.map(function (name, i) { return text(svg, 0, i * row + 18, name, "end"); });
    var widest = Math.max.apply(null, texts.map(function (t) {
      return t.getComputedTextLength(); }).concat([40]));
    var L = Math.ceil(widest) + 14, W = L + B + R;
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    texts.forEach(function (t) { t.setAttribute("x", L - 8); });
    var max = Math.max.apply(null, rows.map(function (r) { return r.count; }).concat([1]));
    rows.forEach(function (r, i) {
      var l = labels(ranking, r);
      var yy = i * row + 3;
      var colour = ranking.id === "user_agents" ? (kindColour[l[1]] || "#7a8795") : palette[0];
      var w = Math.max(1, B * r.count / max);
      var bar = el("rect", { x: L, y: yy, width: w, height: row - 7, rx: 3, fill: colour,
                             "class": "bar" }, svg);
      tip(bar, l.join(" · ") + ": " + fmt(r.count));
      text(svg, L + w + 6, yy + 14, short(r.count));
    });
  }

  // Text drawn outside its chart's view box is cut off: counted, for the
  // test in a real browser (data-clipped-labels on <html>).
  function clippedLabels() {
    var n = 0;
    Array.prototype.forEach.call(document.querySelectorAll("svg"), function (svg) {
      var box = svg.viewBox.baseVal;
      Array.prototype.forEach.call(svg.querySelectorAll("text"), function (t) {
        var b = t.getBBox();
        if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5) n++;
      });
    });
    return n;
  }

  function donutChart(host, ranking) {
    var W = 520, H = 200, cx = 100, cy = 100, R = 86, r = 50;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img",
                          "aria-label": ranking.title }, host);
    var colour = function (code, i) {
      var c = String(code).charAt(0);
      var base = { "2": ["#3ba272", "#6cc497"], "3": ["#2f6fde", "#7aa3ee"],
                   "4": ["#e8833a", "#f2b07f"], "5": ["#d4504b", "#e88d8a"] }[c];
      return base ? base[i % 2] : "#7a8795";
    };
    var total = ranking.total || 1, angle = -Math.PI / 2, shown = 0;
    var slices = ranking.rows.slice(0, 8).map(function (row) {
      return { labels: labels(ranking, row), count: row.count };
    });
    slices.forEach(function (row) { shown += row.count; });
    if (total > shown) slices.push({ labels: ["other"], count: total - shown });
    slices.forEach(function (s, i) {
      var a = 2 * Math.PI * s.count / total;
      var end = angle + Math.min(a, 2 * Math.PI - 1e-4);
      var large = end - angle > Math.PI ? 1 : 0;
      var p = function (rad, t) { return (cx + rad * Math.cos(t)).toFixed(2) + " " +
                                         (cy + rad * Math.sin(t)).toFixed(2); };
      var path = el("path", { d: "M " + p(R, angle) + " A " + R + " " + R + " 0 " + large +
                                 " 1 " + p(R, end) + " L " + p(r, end) + " A " + r + " " + r +
                                 " 0 " + large + " 0 " + p(r, angle) + " Z",
                              fill: colour(s.labels[0], i), "class": "slice" }, svg);
      tip(path, s.labels[0] + ": " + fmt(s.count));
      angle += a;
      var ly = 22 + i * 19;
      el("rect", { x: 220, y: ly - 10, width: 11, height: 11, rx: 2,
                   fill: colour(s.labels[0], i) }, svg);
      text(svg, 238, ly, s.labels[0] + "  " + (100 * s.count / total).toFixed(1) + "%");
    });
  }

  var data = JSON.parse(document.getElementById("report-data").textContent);
  var drawn = 0;
  var daysHost = document.getElementById("chart-days");
  if (daysHost && data.periods.length) {
    daysChart(daysHost, data.periods, data.granularity);
    drawn++;
  }
  Object.keys(data.rankings).forEach(function (id) {
    var host = document.getElementById("chart-" + id);
    var ranking = data.rankings[id];
    if (!host || !ranking.rows.length) return;
    ranking.id = id;
    if (host.getAttribute("data-kind") === "donut") donutChart(host, ranking);
    else barsChart(host, ranking);
    drawn++;
  });
  root.setAttribute("data-charts", String(drawn));
  root.setAttribute("data-clipped-labels", String(clippedLabels()));
})();
</script>
)html";

void replace(std::string& text, const std::string& key, const std::string& value) {
    const std::size_t at = text.find(key);
    if (at != std::string::npos) {
        text.replace(at, key.size(), value);
    }
}

} // namespace

std::string report_html(const Report& r) {
    const std::string title = r.title + " " + r.from + " to " + r.to;
    const bool filtered = r.filters.any();
    std::string out = page_head;
    replace(out, "{{TITLE}}", escape(title));

    out +=
        "<header><h1>" + escape(title) + "</h1><p>Time zone " + escape(r.timezone) + " · schema " +
        escape(r.schema) + " · generated " + escape(r.generated_at) + " from the rollup tables" +
        (r.last_rolled_up_day.empty() ? std::string(" · nothing rolled up yet")
                                      : " · last day rolled up " + escape(r.last_rolled_up_day)) +
        "</p></header>\n";
    if (!r.notes.empty()) {
        out += "<div class=\"notes\" id=\"notes\">";
        for (const auto& note : r.notes) {
            out += "<p>" + escape(note) + ".</p>";
        }
        out += "</div>\n";
    }
    out += "<div class=\"totals\">";
    // Each total with its change from the previous period, when known.
    auto total = [&out](std::uint64_t n, const char* what, std::optional<std::uint64_t> before) {
        out += "<div class=\"total\"><b>" + count(n) + "</b><span>" + what + "</span>";
        if (before) {
            out += "<small title=\"previous period: " + count(*before) + "\">" +
                   escape(format_change(n, *before)) + " vs previous</small>";
        }
        out += "</div>";
    };
    const std::optional<Previous>& p = r.previous;
    if (!filtered) {
        total(r.requests, "requests", p ? p->requests : std::nullopt);
    }
    total(r.ogc_requests, "OGC requests",
          p ? std::optional<std::uint64_t>(p->ogc_requests) : std::nullopt);
    if (r.searches > 0) {
        total(r.searches, "geoportal searches", p ? p->searches : std::nullopt);
    }
    total(r.day_count, "days", std::nullopt);
    if (r.traffic) {
        const Traffic& t = *r.traffic;
        total(t.visitors, "visitors (distinct per day, added up)", std::nullopt);
        if (t.bytes_sent) {
            total(*t.bytes_sent, "bytes served", std::nullopt);
        }
        total(t.status_4xx, "4xx responses", std::nullopt);
        total(t.status_5xx, "5xx responses", std::nullopt);
    }
    out += "</div>\n<main>\n";

    if (!r.months.empty()) {
        out += "<section class=\"wide\" id=\"months\"><h2>OGC requests per month</h2><p>Days "
               "whose daily rows were pruned, from the monthly rollups</p><table><thead><tr>"
               "<th>month</th><th>days</th><th class=\"n\">OGC requests</th></tr></thead><tbody>";
        for (const auto& m : r.months) {
            out += "<tr><td>" + escape(m.month) + "</td><td>" + escape(m.from) + " .. " +
                   escape(m.to) + "</td><td class=\"n\">" + count(m.ogc_requests) + "</td></tr>";
        }
        out += "</tbody></table></section>\n";
    }
    out += "<section class=\"wide\" id=\"days\"><h2>Requests per " + r.granularity + "</h2><p>" +
           (filtered ? "OGC requests" : "All requests (bars) and OGC requests (line)") +
           (p ? " · previous period " + p->from + " .. " + p->to : std::string()) + "</p>";
    if (r.empty()) {
        out += "<p class=\"empty\">No rolled-up data in this range.</p>";
    } else if (r.periods.empty()) {
        out += "<p class=\"empty\">No day of this range has daily rows left.</p>";
    } else {
        out += "<div class=\"legend\"><span><i style=\"background:var(--all)\"></i>requests</span>"
               "<span><i style=\"background:var(--ogc)\"></i>OGC requests</span></div>"
               "<div class=\"chart\" id=\"chart-days\"></div>";
    }
    out += "</section>\n";

    for (const auto& ranking : r.rankings) {
        out += "<section id=\"" + escape(ranking.id) + "\"><h2>" + escape(ranking.title) +
               "</h2><p>" + count(ranking.distinct) + " distinct · shares of " +
               count(ranking.total) + " " + escape(ranking.unit) + "</p>";
        if (ranking.rows.empty()) {
            out += "<p class=\"empty\">None in this range.</p></section>\n";
            continue;
        }
        if (const char* kind = chart_kind(ranking.id)) {
            out += "<div class=\"chart\" id=\"chart-" + escape(ranking.id) + "\" data-kind=\"" +
                   kind + "\"></div>";
        }
        out += "<table><thead><tr>";
        for (const auto& column : ranking.columns) {
            out += "<th>" + escape(column.heading) + "</th>";
        }
        out += "<th class=\"n\">" +
               escape(ranking.unit == "OGC requests" ? std::string("requests") : ranking.unit) +
               "</th><th class=\"n\">share</th>";
        for (const auto& measure : ranking.measures) {
            out += "<th class=\"n\">" + escape(measure.heading) + "</th>";
        }
        out += "</tr></thead><tbody>";
        for (const auto& row : ranking.rows) {
            out += "<tr>";
            for (std::size_t i = 0; i < row.labels.size(); ++i) {
                const std::string label = ranking.label(row, i);
                out += "<td title=\"" + escape(label) + "\">" + escape(label) + "</td>";
            }
            out += "<td class=\"n\">" + count(row.count) + "</td><td class=\"n\">" +
                   format_share(row.count, ranking.total) + "</td>";
            for (std::size_t i = 0; i < ranking.measures.size(); ++i) {
                out += "<td class=\"n\">" +
                       escape(format_measure(ranking.measures[i], row.measures[i])) + "</td>";
            }
            out += "</tr>";
        }
        out += "</tbody></table></section>\n";
    }
    out += "</main>\n<footer>Made by analytics report. OGC sections count OGC requests "
           "(ogc_summary_daily, or ogc_summary_monthly for days whose daily rows were pruned); a "
           "request naming several layers counts once for each. Requests per day and status "
           "codes count every request (daily_api_usage_metrics). Visitors, bytes, 4xx/5xx, "
           "endpoints and hours of day come from daily_access_summary (not kept for pruned "
           "days); visitors are each day's distinct visitors added up, and an endpoint's p95 "
           "is that of its worst day.</footer>\n";

    // "</" inside a script element would end it: JSON allows "<\/" instead.
    std::string data = report_json(r);
    for (std::size_t at = data.find("</"); at != std::string::npos; at = data.find("</", at)) {
        data.replace(at, 2, "<\\/");
    }
    out += "<script type=\"application/json\" id=\"report-data\">" + data + "</script>\n";
    out += page_script;
    out += "</body>\n</html>\n";
    return out;
}

} // namespace analytics::report
