#include <analytics/db/session_impl.hpp>
#include <analytics/storage/citus_sizes.hpp>
#include <analytics/storage/size_report.hpp>
#include <analytics/util/json_document.hpp>
#include <analytics/util/text.hpp>

#include <algorithm>
#include <cstdio>
#include <map>

namespace analytics::storage {

namespace {

// Month bounds are rendered in the session time zone, which is the
// configured one, so partitions starting at local midnight show their month.
constexpr const char* size_query = R"sql(
SELECT c.relname,
       CASE WHEN c.relkind = 'p' THEN 'partitioned'
            WHEN c.relispartition THEN 'partition'
            WHEN c.relpersistence = 'u' THEN 'unlogged table'
            ELSE 'table' END AS kind,
       COALESCE(parent.relname, '') AS parent,
       COALESCE(s.n_live_tup, GREATEST(c.reltuples, 0)::bigint) AS estimated_rows,
       pg_table_size(c.oid) - COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0)
           AS table_bytes,
       pg_indexes_size(c.oid) AS index_bytes,
       COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0) AS toast_bytes,
       pg_total_relation_size(c.oid) AS total_bytes,
       COALESCE(to_char(substring(pg_get_expr(c.relpartbound, c.oid)
                                  FROM $$FROM \('([^']*)'\)$$)::timestamptz, 'YYYY-MM'), '')
           AS first_month,
       COALESCE(to_char(substring(pg_get_expr(c.relpartbound, c.oid)
                                  FROM $$TO \('([^']*)'\)$$)::timestamptz
                        - interval '1 microsecond', 'YYYY-MM'), '') AS last_month
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
LEFT JOIN pg_class parent ON parent.oid = i.inhparent
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
)sql";

bool larger_first(const RelationSize& a, const RelationSize& b) {
    if (a.total_bytes != b.total_bytes) {
        return a.total_bytes > b.total_bytes;
    }
    return a.name < b.name;
}

void add_sizes(RelationSize& into, const RelationSize& from) {
    into.rows += from.rows;
    into.table_bytes += from.table_bytes;
    into.index_bytes += from.index_bytes;
    into.toast_bytes += from.toast_bytes;
    into.total_bytes += from.total_bytes;
    if (!from.first_month.empty() &&
        (into.first_month.empty() || from.first_month < into.first_month)) {
        into.first_month = from.first_month;
    }
    if (!from.last_month.empty() && from.last_month > into.last_month) {
        into.last_month = from.last_month;
    }
    for (const auto& node : from.nodes) {
        auto it = std::find_if(into.nodes.begin(), into.nodes.end(),
                               [&node](const auto& n) { return n.name == node.name; });
        if (it == into.nodes.end()) {
            RelationSize share;
            share.name = node.name;
            share.kind = node.kind;
            it = into.nodes.insert(
                std::upper_bound(into.nodes.begin(), into.nodes.end(), share,
                                 [](const auto& a, const auto& b) { return a.name < b.name; }),
                share);
        }
        add_sizes(*it, node);
    }
}

// A Citus table's sizes are its shards' on the nodes: the coordinator's
// shell holds nothing. Rows of a reference table are counted once (every node
// holds them all), its bytes on every node.
void read_on_nodes(pqxx::transaction_base& tx, const std::string& schema, bool exact_rows,
                   RelationSize& r) {
    auto sizes = citus_table_sizes(tx, schema, r.name, exact_rows);
    if (!sizes) {
        return;
    }
    r.rows = r.table_bytes = r.index_bytes = r.toast_bytes = r.total_bytes = 0;
    std::int64_t most_rows = 0;
    for (const auto& node : sizes->nodes) {
        most_rows = std::max(most_rows, node.rows);
        add_sizes(r, node);
    }
    if (sizes->reference) {
        r.rows = most_rows;
    }
    r.nodes = std::move(sizes->nodes);
}

std::string month_range(const RelationSize& r) {
    if (r.first_month.empty()) {
        return "";
    }
    return r.first_month == r.last_month ? r.first_month : r.first_month + ".." + r.last_month;
}

nlohmann::ordered_json relation_json(const RelationSize& r, bool per_node) {
    nlohmann::ordered_json j;
    j["name"] = r.name;
    j["kind"] = r.kind;
    j["parent"] = text_or_null(r.parent);
    j["rows"] = r.rows;
    j["table_bytes"] = r.table_bytes;
    j["index_bytes"] = r.index_bytes;
    j["toast_bytes"] = r.toast_bytes;
    j["total_bytes"] = r.total_bytes;
    j["first_month"] = text_or_null(r.first_month);
    j["last_month"] = text_or_null(r.last_month);
    if (r.kind == "partitioned") {
        j["partitions"] = nlohmann::ordered_json::array();
        for (const auto& p : r.partitions) {
            j["partitions"].push_back(relation_json(p, per_node));
        }
    }
    if (per_node) {
        j["nodes"] = nlohmann::ordered_json::array();
        for (const auto& n : r.nodes) {
            j["nodes"].push_back({{"node", n.name},
                                  {"rows", n.rows},
                                  {"table_bytes", n.table_bytes},
                                  {"index_bytes", n.index_bytes},
                                  {"toast_bytes", n.toast_bytes},
                                  {"total_bytes", n.total_bytes}});
        }
    }
    return j;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) {
        return s;
    }
    std::string out = "\"";
    for (char c : s) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

} // namespace

std::string human_bytes(std::int64_t bytes) {
    static const char* const units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
    if (bytes < 1024) {
        return std::to_string(bytes) + " B";
    }
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < std::size(units)) {
        value /= 1024.0;
        ++unit;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %s", value, units[unit]);
    return buf;
}

SizeReport size_report(db::Session& session, bool exact_rows, bool per_node) {
    SizeReport report;
    report.schema = session.schema();
    report.exact_rows = exact_rows;
    report.per_node = per_node;

    auto& conn = session.impl().connection;
    pqxx::read_transaction tx{conn};
    report.citus = has_citus(tx);
    std::vector<RelationSize> all;
    for (const auto& row : tx.exec_params(size_query, session.schema())) {
        RelationSize r;
        r.name = row[0].as<std::string>();
        r.kind = row[1].as<std::string>();
        r.parent = row[2].as<std::string>();
        r.rows = row[3].as<std::int64_t>();
        r.table_bytes = row[4].as<std::int64_t>();
        r.index_bytes = row[5].as<std::int64_t>();
        r.toast_bytes = row[6].as<std::int64_t>();
        r.total_bytes = row[7].as<std::int64_t>();
        r.first_month = row[8].as<std::string>();
        r.last_month = row[9].as<std::string>();
        if (r.kind == "partitioned") {
            r.rows = 0; // a parent has no storage: it is the sum of its partitions
        } else {
            if (report.citus) {
                read_on_nodes(tx, session.schema(), exact_rows, r);
            }
            if (exact_rows && r.nodes.empty()) {
                r.rows = tx.exec("SELECT count(*) FROM " + conn.quote_name(session.schema()) + "." +
                                 conn.quote_name(r.name))[0][0]
                             .as<std::int64_t>();
            }
        }
        all.push_back(std::move(r));
    }

    std::map<std::string, std::size_t> parent_index;
    for (auto& r : all) {
        if (r.kind == "partitioned" && r.parent.empty()) {
            parent_index[r.name] = report.relations.size();
            report.relations.push_back(r);
        }
    }
    for (auto& r : all) {
        if (r.kind == "partitioned" && r.parent.empty()) {
            continue;
        }
        const auto it = parent_index.find(r.parent);
        if (it != parent_index.end()) {
            auto& parent = report.relations[it->second];
            add_sizes(parent, r);
            parent.partitions.push_back(r);
            ++report.partition_count;
        } else {
            report.relations.push_back(r); // plain table, or a partition of a foreign parent
        }
    }
    for (auto& r : report.relations) {
        std::sort(r.partitions.begin(), r.partitions.end(), larger_first);
        add_sizes(report.total, r);
        ++report.table_count;
    }
    std::sort(report.relations.begin(), report.relations.end(), larger_first);
    report.total.name = "TOTAL";
    report.total.kind = "total";
    return report;
}

std::string render_text(const SizeReport& report) {
    if (report.relations.empty()) {
        return "No tables in schema \"" + report.schema + "\" (run 'analytics migrate').\n";
    }

    struct Line {
        std::string name;
        const RelationSize* r;
    };

    std::vector<Line> lines;
    // --per-node: each node's share under its relation (not under each partition).
    auto node_lines = [&lines, &report](const RelationSize& r, const std::string& indent) {
        if (report.per_node) {
            for (const auto& n : r.nodes) {
                lines.push_back({indent + "@ " + n.name, &n});
            }
        }
    };
    for (const auto& r : report.relations) {
        lines.push_back({r.name, &r});
        node_lines(r, "    ");
        for (const auto& p : r.partitions) {
            lines.push_back({"  " + p.name, &p});
        }
    }
    const std::string total_label = "TOTAL (" + std::to_string(report.table_count) + " tables, " +
                                    std::to_string(report.partition_count) + " partitions)";
    lines.push_back({total_label, &report.total});
    node_lines(report.total, "    ");

    std::size_t name_width = 8;
    for (const auto& l : lines) {
        name_width = std::max(name_width, l.name.size());
    }
    const char* rows_header = report.exact_rows ? "rows" : "rows (est.)";
    char buf[512];
    std::string out;
    auto row = [&](const std::string& name, const std::string& kind, const std::string& rows,
                   const std::string& table, const std::string& index, const std::string& toast,
                   const std::string& total, const std::string& months) {
        std::snprintf(buf, sizeof buf, "%-*s  %-14s %13s %10s %10s %10s %10s  %s",
                      static_cast<int>(name_width), name.c_str(), kind.c_str(), rows.c_str(),
                      table.c_str(), index.c_str(), toast.c_str(), total.c_str(), months.c_str());
        std::string line = buf;
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line + "\n";
    };
    row("relation", "kind", rows_header, "table", "indexes", "toast", "total", "months");
    const std::string rule = std::string(name_width + 2 + 14 + 1 + 13 + 4 * 11 + 2 + 7, '-') + "\n";
    out += rule;
    for (const auto& l : lines) {
        if (l.r == &report.total) {
            out += rule;
        }
        row(l.name, l.r == &report.total ? "" : l.r->kind, with_thousands(l.r->rows),
            human_bytes(l.r->table_bytes), human_bytes(l.r->index_bytes),
            human_bytes(l.r->toast_bytes), human_bytes(l.r->total_bytes), month_range(*l.r));
    }
    return out;
}

nlohmann::ordered_json to_json(const SizeReport& report) {
    nlohmann::ordered_json j;
    j["schema"] = report.schema;
    j["rows"] = report.exact_rows ? "exact" : "estimated";
    j["relations"] = nlohmann::ordered_json::array();
    for (const auto& r : report.relations) {
        j["relations"].push_back(relation_json(r, report.per_node));
    }
    auto total = relation_json(report.total, report.per_node);
    total.erase("name");
    total.erase("kind");
    total.erase("parent");
    total["tables"] = report.table_count;
    total["partitions"] = report.partition_count;
    j["total"] = total;
    return j;
}

std::string render_csv(const SizeReport& report) {
    std::string out = "relation,parent,kind,rows,table_bytes,index_bytes,toast_bytes,total_bytes,"
                      "first_month,last_month\n";
    auto line = [&out](const RelationSize& r) {
        out += csv_field(r.name) + "," + csv_field(r.parent) + "," + r.kind + "," +
               std::to_string(r.rows) + "," + std::to_string(r.table_bytes) + "," +
               std::to_string(r.index_bytes) + "," + std::to_string(r.toast_bytes) + "," +
               std::to_string(r.total_bytes) + "," + r.first_month + "," + r.last_month + "\n";
    };
    auto node_lines = [&line, &report](const RelationSize& r) {
        if (report.per_node) {
            for (auto n : r.nodes) {
                n.parent = r.name;
                line(n);
            }
        }
    };
    for (const auto& r : report.relations) {
        line(r);
        node_lines(r);
        for (const auto& p : r.partitions) {
            line(p);
        }
    }
    line(report.total);
    node_lines(report.total);
    return out;
}

} // namespace analytics::storage
