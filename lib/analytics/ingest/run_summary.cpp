#include <analytics/ingest/rejects_file.hpp>
#include <analytics/ingest/run_summary.hpp>
#include <analytics/util/json_document.hpp>
#include <analytics/util/text.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace analytics::ingest {

namespace {

using Json = nlohmann::ordered_json;

// Counts as `ingest` writes them (1,234) and as `process` always has (1234).
std::string grouped(std::uint64_t n) {
    return with_thousands(n);
}

std::string plain(std::uint64_t n) {
    return std::to_string(n);
}

// "  rejected: <reason>: <count>" and "  warning: <kind>: <count>" lines.
void write_counts(std::ostream& out, const RunSummary& s, std::string (*count)(std::uint64_t)) {
    for (const auto& [reason, n] : s.rejects_by_reason) {
        out << "  rejected: " << reason << ": " << count(n) << "\n";
    }
    for (const auto& [warning, n] : s.warnings) {
        out << "  warning: " << warning << ": " << count(n) << "\n";
    }
}

std::string format(const char* pattern, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}

std::string ingest_text(const RunSummary& s) {
    std::ostringstream out;
    const double rate = s.seconds > 0 ? static_cast<double>(s.lines) / s.seconds : 0.0;
    out << "ingest: " << s.inputs.size() << (s.inputs.size() == 1 ? " input, " : " inputs, ")
        << grouped(s.lines) << " lines, " << grouped(s.records) << " records, "
        << grouped(s.rejected) << " rejected" << format(" (%.2f%%)", s.reject_ratio() * 100.0)
        << format(", %.2f s, ", s.seconds) << grouped(static_cast<std::uint64_t>(rate))
        << " lines/s\n";
    if (s.loaded) {
        out << "  stored " << grouped(s.stored) << " rows, " << grouped(s.duplicates)
            << " duplicates skipped, " << grouped(s.skipped_lines) << " lines loaded before, "
            << grouped(s.partitions_created) << " partitions created, " << grouped(s.dirty_days)
            << " days marked for rollup\n";
    }
    if (s.set_aside > 0) {
        out << "  set aside " << grouped(s.set_aside)
            << " rows of months already rolled up and dropped (";
        const char* separator = "";
        for (const auto& [table, count] : s.set_aside_by_table) {
            out << separator << table << " " << grouped(count);
            separator = ", ";
        }
        out << "): not stored, the rollups stand; kept with the rejects, not counted as rejects\n";
    }
    for (const auto& e : s.expiring) {
        out << "  note: " << grouped(e.rows) << " rows are older than " << e.table << "' "
            << e.retention_days
            << " days: the next maintain rolls them up and drops their raw month\n";
    }
    if (s.searches + s.impressions + s.events > 0) {
        out << "  rows: " << grouped(s.searches) << " searches, " << grouped(s.impressions)
            << " impressions, " << grouped(s.events) << " events\n";
    }
    for (const auto& input : s.inputs) {
        out << "  " << input_label(input.path) << ": "
            << (input.format.empty() ? "-" : input.format)
            << (input.status.empty() ? "" : ", " + input.status) << ", " << grouped(input.lines)
            << " lines, " << grouped(input.records) << " records, " << grouped(input.rejected)
            << " rejected\n";
    }
    write_counts(out, s, grouped);
    return out.str();
}

std::string process_text(const RunSummary& s) {
    std::ostringstream out;
    out << (s.dry_run ? "process (dry run): " : "process: ") << grouped(s.rows) << " buffer rows, "
        << grouped(s.records) << " records";
    if (!s.dry_run) {
        out << ", " << grouped(s.stored) << " stored, " << grouped(s.duplicates) << " duplicates";
    }
    out << ", " << grouped(s.rejected) << " rejected" << format(", %.2f s\n", s.seconds);
    if (s.set_aside > 0) {
        out << "  set aside " << grouped(s.set_aside)
            << " rows of months already rolled up and dropped: moved to ingest_rejects, not "
               "counted as rejects\n";
    }
    if (!s.dry_run) {
        out << "  " << s.batches << " batches, " << s.partitions_created << " partitions created, "
            << s.dirty_days << " days marked for rollup\n";
    }
    write_counts(out, s, plain);
    return out.str();
}

std::string reprocess_text(const RunSummary& s) {
    std::ostringstream out;
    out << (s.dry_run ? "reprocess (dry run): " : "reprocess: ") << s.days << " days, "
        << grouped(s.rows) << " rows, " << grouped(s.changed)
        << (s.dry_run ? " would change, " : " changed, ") << s.dirty_days
        << " days marked for rollup, " << format("%.2f s\n", s.seconds);
    write_counts(out, s, plain);
    return out.str();
}

Json counts(const std::map<std::string, std::uint64_t>& by_name) {
    Json object = Json::object();
    for (const auto& [name, count] : by_name) {
        object[name] = count;
    }
    return object;
}

Json ingest_json(const RunSummary& s) {
    Json doc;
    Json inputs = Json::array();
    for (const auto& input : s.inputs) {
        Json item;
        item["path"] = input.path;
        item["format"] = input.format;
        if (!input.status.empty()) {
            item["status"] = input.status;
        }
        item["lines"] = input.lines;
        item["bytes"] = input.bytes;
        item["records"] = input.records;
        item["rejected"] = input.rejected;
        inputs.push_back(std::move(item));
    }
    doc["inputs"] = std::move(inputs);
    doc["lines"] = s.lines;
    doc["blank_lines"] = s.blank_lines;
    doc["bytes"] = s.bytes;
    doc["records"] = s.records;
    doc["searches"] = s.searches;
    doc["impressions"] = s.impressions;
    doc["events"] = s.events;
    doc["rejected"] = s.rejected;
    if (s.loaded) {
        doc["stored"] = s.stored;
        doc["duplicates"] = s.duplicates;
        doc["skipped_lines"] = s.skipped_lines;
        doc["partitions_created"] = s.partitions_created;
        doc["dirty_days"] = s.dirty_days;
        doc["batches"] = s.batches;
        Json expiring = Json::object();
        for (const auto& e : s.expiring) {
            expiring[e.table] = {{"rows", e.rows}, {"retention_days", e.retention_days}};
        }
        doc["expiring"] = std::move(expiring);
    }
    doc["set_aside"] = s.set_aside;
    doc["set_aside_by_table"] = counts(s.set_aside_by_table);
    doc["rejects"] = counts(s.rejects_by_reason);
    doc["warnings"] = counts(s.warnings);
    doc["reject_ratio"] = s.reject_ratio();
    doc["seconds"] = s.seconds;
    return doc;
}

Json process_json(const RunSummary& s) {
    Json doc;
    doc["dry_run"] = s.dry_run;
    doc["rows"] = s.rows;
    doc["records"] = s.records;
    doc["stored"] = s.stored;
    doc["duplicates"] = s.duplicates;
    doc["rejected"] = s.rejected;
    doc["set_aside"] = s.set_aside;
    doc["batches"] = s.batches;
    doc["partitions_created"] = s.partitions_created;
    doc["dirty_days"] = s.dirty_days;
    doc["rejects"] = counts(s.rejects_by_reason);
    doc["warnings"] = counts(s.warnings);
    doc["seconds"] = s.seconds;
    return doc;
}

Json reprocess_json(const RunSummary& s) {
    Json doc;
    doc["dry_run"] = s.dry_run;
    doc["days"] = s.days;
    doc["rows"] = s.rows;
    doc["changed"] = s.changed;
    doc["dirty_days"] = s.dirty_days;
    doc["warnings"] = counts(s.warnings);
    doc["seconds"] = s.seconds;
    return doc;
}

} // namespace

std::string reject_category(const std::string& reason) {
    std::string_view s = reason;
    // "events[3]: …" and "logRecords[0]: …" → the part after the position.
    const std::size_t close = s.find("]: ");
    if (close != std::string_view::npos && s.find('[') < close && s.find(' ') > close) {
        s = s.substr(close + 3);
    }
    const std::size_t cut = s.find_first_of("\"[(:");
    if (cut != std::string_view::npos) {
        s = s.substr(0, cut);
    }
    return std::string(trim(s));
}

std::string warning_category(const std::string& warning) {
    // "searches[0].per_page: 2.5 is not an integer; stored as NULL" → "per_page: stored as NULL"
    std::string_view s = warning;
    const std::size_t close = s.find(']');
    if (close != std::string_view::npos && s.find('[') < close && s.find(' ') > close) {
        s = s.substr(close + 1);
        if (!s.empty() && (s.front() == '.' || s.front() == ':')) {
            s.remove_prefix(1);
        }
    }
    s = trim(s);
    const std::size_t colon = s.find(':');
    const std::size_t semicolon = s.rfind(';');
    if (colon == std::string_view::npos || semicolon == std::string_view::npos ||
        semicolon < colon) {
        return std::string(s.substr(0, s.find_first_of("\"(")));
    }
    return std::string(s.substr(0, colon)) + ": " + std::string(trim(s.substr(semicolon + 1)));
}

void RunSummary::count_reject(const std::string& reason, bool another_line) {
    ++rejected;
    rejected_lines += another_line ? 1 : 0;
    ++rejects_by_reason[reject_category(reason)];
}

double RunSummary::reject_ratio() const {
    if (run == Run::ingest) {
        // A share of the lines read this run (blank ones and those loaded by
        // earlier runs aside): one beacon line holds many rows.
        const std::uint64_t read = lines - std::min(lines, blank_lines + skipped_lines);
        const std::uint64_t total = std::max(read, rejected_lines);
        return total == 0 ? 0.0 : static_cast<double>(rejected_lines) / static_cast<double>(total);
    }
    const std::uint64_t total = records + rejected;
    return total == 0 ? 0.0 : static_cast<double>(rejected) / static_cast<double>(total);
}

std::string RunSummary::to_text() const {
    switch (run) {
    case Run::process:
        return process_text(*this);
    case Run::reprocess:
        return reprocess_text(*this);
    case Run::ingest:
        break;
    }
    return ingest_text(*this);
}

nlohmann::ordered_json RunSummary::json_document() const {
    switch (run) {
    case Run::process:
        return process_json(*this);
    case Run::reprocess:
        return reprocess_json(*this);
    case Run::ingest:
        break;
    }
    return ingest_json(*this);
}

std::string RunSummary::to_json() const {
    return dump_json(json_document(), 3, {{"reject_ratio", 6}});
}

} // namespace analytics::ingest
