#pragma once

// The rows of the `events` input format, one struct per table
// (sql/0001_initial_schema.sql), and what one line yields.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace analytics::parse {

// Columns of the searches table (sql/0001_initial_schema.sql).
struct SearchRow {
    std::string search_id;
    std::int64_t occurred_at_us = 0;
    std::optional<std::string> visit_token, client_name, client_version, client_channel,
        client_instance, source_host, query, search_url, view;
    std::optional<std::int32_t> page, per_page;
    std::optional<std::string> sort, search_field;
    std::int64_t results_count = 0;
    std::optional<std::int32_t> total_pages;
    bool zero_results = false;
    std::optional<std::string> properties; // JSON text (object or array)
};

struct ImpressionRow {
    std::string search_id;
    std::int64_t occurred_at_us = 0;
    std::optional<std::string> visit_token;
    std::string resource_id;
    std::int32_t rank = 0;
    std::optional<std::int32_t> page;
    std::optional<std::string> view;
    std::optional<std::string> properties;
};

struct EventRow {
    std::string event_id;
    std::int64_t occurred_at_us = 0;
    std::string event_type;
    std::optional<std::string> visit_token, search_id, resource_id, client_name, client_version,
        client_channel, client_instance, source_host;
    std::optional<std::int32_t> rank, page;
    std::optional<std::string> view, label, destination_url, source_component;
    std::optional<std::string> properties;
};

// A row of a payload that could not be stored, and why.
struct RowReject {
    std::string table;     // "searches", "search_impressions", "events"
    std::size_t index = 0; // position in its list
    std::string reason;
};

struct BeaconBatch {
    std::vector<SearchRow> searches;
    std::vector<ImpressionRow> impressions;
    std::vector<EventRow> events;
    std::vector<RowReject> rejects;
    std::vector<std::string> warnings; // values truncated or ignored, one line each

    void clear() {
        searches.clear();
        impressions.clear();
        events.clear();
        rejects.clear();
        warnings.clear();
    }

    std::size_t rows() const { return searches.size() + impressions.size() + events.size(); }
};

} // namespace analytics::parse
