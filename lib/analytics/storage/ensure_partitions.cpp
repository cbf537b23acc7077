#include <analytics/storage/calendar.hpp>
#include <analytics/storage/dropped_months.hpp>
#include <analytics/storage/ensure_partitions.hpp>
#include <analytics/storage/partitions.hpp>
#include <analytics/time/civil_day.hpp>
#include <analytics/time/local_zone.hpp>
#include <analytics/util/json_document.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

namespace analytics::storage {

namespace {

// Months as a single count: year * 12 + (month - 1).
int month_index(int year, unsigned month) {
    return year * 12 + static_cast<int>(month) - 1;
}

std::string month_text(int index) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d", index / 12, index % 12 + 1);
    return text;
}

} // namespace

MonthRange partition_months(const config::Config& config, const std::string& table,
                            std::int64_t now_us) {
    const time::LocalZone zone(config.timezone);
    const std::int64_t today = local_day(zone, now_us);
    int year = 0;
    unsigned month = 0, day = 0;
    time::civil_from_days(today, year, month, day);
    const int current = month_index(year, month);
    int first = current - std::max(0, config.partitions.history_months);
    if (const auto days = retention_days(config, table)) {
        // The month holding the retention cutoff is the oldest one kept.
        time::civil_from_days(today - *days, year, month, day);
        first = std::max(first, month_index(year, month));
    }
    const int last = current + std::max(0, config.partitions.future_months);
    return {first / 12, static_cast<unsigned>(first % 12 + 1), last / 12,
            static_cast<unsigned>(last % 12 + 1)};
}

EnsureSummary ensure_partitions(db::Session& session, const config::Config& config,
                                std::int64_t now_us, bool dry_run) {
    const auto start = std::chrono::steady_clock::now();
    const time::LocalZone zone(config.timezone);
    EnsureSummary summary;
    summary.dry_run = dry_run;
    const DroppedMonths dropped = read_dropped_months(session, zone);
    for (const auto& table : partitioned_tables()) {
        const auto range = partition_months(config, table.name, now_us);
        auto existing = list_partitions(session, table.name);
        for (int m = month_index(range.first_year, range.first_month);
             m <= month_index(range.last_year, range.last_month); ++m) {
            const auto span = month_span(zone, m / 12, static_cast<unsigned>(m % 12 + 1));
            EnsuredPartition p;
            p.table = table.name;
            p.name = partition_name(table.name, span.year, span.month);
            p.month = month_text(m);
            p.exists = std::any_of(existing.begin(), existing.end(), [&span](const auto& info) {
                return !info.is_default && info.contains(span.from_us);
            });
            if (!p.exists && dropped.refusing(table.name, span.from_us) != nullptr) {
                continue; // retention dropped it: never created again
            }
            if (!p.exists && !dry_run) {
                const auto made = create_month_partition(session, table.name, span);
                if (made == PartitionCreation::dropped) {
                    continue; // dropped meanwhile
                }
                p.created = made == PartitionCreation::created;
                p.exists = !p.created; // made by a concurrent run meanwhile
            }
            summary.partitions.push_back(std::move(p));
        }
    }
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

std::size_t EnsureSummary::created() const {
    return static_cast<std::size_t>(std::count_if(partitions.begin(), partitions.end(),
                                                  [](const auto& p) { return p.created; }));
}

std::size_t EnsureSummary::missing() const {
    return static_cast<std::size_t>(std::count_if(partitions.begin(), partitions.end(),
                                                  [](const auto& p) { return !p.exists; }));
}

std::string EnsureSummary::to_text() const {
    std::ostringstream out;
    for (const auto& p : partitions) {
        if (!p.exists) {
            out << (dry_run ? "would create " : "created ") << p.name << "\n";
        }
    }
    out << "ensure-partitions" << (dry_run ? " (dry run): " : ": ") << missing()
        << (dry_run ? " to create, " : " created, ") << partitions.size() - missing()
        << " already there";
    char seconds_text[32];
    std::snprintf(seconds_text, sizeof seconds_text, ", %.2f s\n", seconds);
    out << seconds_text;
    return out.str();
}

nlohmann::ordered_json EnsureSummary::json_document() const {
    nlohmann::ordered_json json;
    json["dry_run"] = dry_run;
    json["created"] = dry_run ? 0 : missing();
    json["missing"] = missing();
    json["existing"] = partitions.size() - missing();
    json["partitions"] = nlohmann::ordered_json::array();
    for (const auto& p : partitions) {
        json["partitions"].push_back({{"table", p.table},
                                      {"name", p.name},
                                      {"month", p.month},
                                      {"state", p.exists    ? "existing"
                                                : dry_run   ? "missing"
                                                            : "created"}});
    }
    json["seconds"] = seconds;
    return json;
}

std::string EnsureSummary::to_json() const {
    return dump_json(json_document());
}

} // namespace analytics::storage
