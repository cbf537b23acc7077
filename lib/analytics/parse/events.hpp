#pragma once

// The `events` input format: one geoportal beacon payload per line,
// {"searches":[…],"impressions":[…],"events":[…]}, bare or wrapped as
// {"received_at":…, "headers":{…}, "body":{…}} so that the BTAA endpoint's
// header defaults apply (btaa-analytics-storage.md §5). Normalisation follows
// §5.2 there with its bugs fixed: "false" is false, numbers are validated per
// field, over-long values are truncated on UTF-8 boundaries, and one bad row
// never loses the others.

#include <analytics/parse/timestamp.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

    void clear();

    std::size_t rows() const { return searches.size() + impressions.size() + events.size(); }
};

class EventsParser {
  public:
    explicit EventsParser(const LocalZone& zone);
    ~EventsParser();

    // Parses one line into out (cleared first). Returns false with a reason
    // when the whole line is unusable (not JSON, not an object, ...).
    bool parse(std::string_view line, BeaconBatch& out, std::string& reason);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// One JSON object per row, the table's columns as keys (NULLs omitted) plus
// "table": the table the row goes to.
void append_json(std::string& out, const SearchRow& row);
void append_json(std::string& out, const ImpressionRow& row);
void append_json(std::string& out, const EventRow& row);

} // namespace analytics::parse
