#pragma once

// The rows of the `events` input format, one struct per table
// (sql/0001_initial_schema.sql), and what one line yields.

#include <analytics/parse/event_columns.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace analytics::parse {

// One row of each table, its members generated from event_columns.def.
struct SearchRow {
#define ANALYTICS_SEARCH_COLUMN(name, member, kind, length) event_kind::kind::type member{};
#include <analytics/parse/event_columns.def>
};

struct ImpressionRow {
#define ANALYTICS_IMPRESSION_COLUMN(name, member, kind, length) event_kind::kind::type member{};
#include <analytics/parse/event_columns.def>
};

struct EventRow {
#define ANALYTICS_EVENT_COLUMN(name, member, kind, length) event_kind::kind::type member{};
#include <analytics/parse/event_columns.def>
};

// The table a row goes to, and its catalogue.
template <class Row>
struct RowTable;

template <>
struct RowTable<SearchRow> {
    static constexpr std::string_view name = "searches";
    static constexpr const auto& columns = search_row_columns;
};

template <>
struct RowTable<ImpressionRow> {
    static constexpr std::string_view name = "search_impressions";
    static constexpr const auto& columns = impression_row_columns;
};

template <>
struct RowTable<EventRow> {
    static constexpr std::string_view name = "events";
    static constexpr const auto& columns = event_row_columns;
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
