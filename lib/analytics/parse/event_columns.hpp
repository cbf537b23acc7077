#pragma once

// The kinds of the event tables' columns, and the catalogue of
// event_columns.def as tables for code that needs the columns by name (COPY
// column lists, the parser's length limits, checks). A kind fixes the row
// member's type, the column's SQL type (as information_schema.columns.udt_name
// gives it) and, through overloads on the kind, what each writer does.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace analytics::parse::event_kind {

template <typename Member, bool Nullable>
struct Kind {
    using type = Member;
    static constexpr bool nullable = Nullable;
};

// An id or a type: a row without it is rejected.
struct required_varchar : Kind<std::string, false> {
    static constexpr std::string_view sql_type = "varchar";
};

// Cut to the column's length; NULL when missing or empty.
struct varchar : Kind<std::optional<std::string>, true> {
    static constexpr std::string_view sql_type = "varchar";
};

// Unbounded in SQL, still cut as the BTAA worker did (parse/events.cpp).
struct text : Kind<std::optional<std::string>, true> {
    static constexpr std::string_view sql_type = "text";
};

// A text column that holds an address: the secret parameters of its query
// string are removed, as a referrer's are (util/privacy.hpp).
struct url : text {};

struct int4 : Kind<std::optional<std::int32_t>, true> {
    static constexpr std::string_view sql_type = "int4";
};

struct required_int4 : Kind<std::int32_t, false> {
    static constexpr std::string_view sql_type = "int4";
};

// NOT NULL DEFAULT 0.
struct required_int8 : Kind<std::int64_t, false> {
    static constexpr std::string_view sql_type = "int8";
};

// NOT NULL DEFAULT false.
struct required_bool : Kind<bool, false> {
    static constexpr std::string_view sql_type = "bool";
};

// JSON text (an object or an array), compact, secrets removed.
struct jsonb : Kind<std::optional<std::string>, true> {
    static constexpr std::string_view sql_type = "jsonb";
};

// occurred_at: microseconds since the Unix epoch, UTC. Last in COPY rows.
struct timestamp : Kind<std::int64_t, false> {
    static constexpr std::string_view sql_type = "timestamptz";
};

} // namespace analytics::parse::event_kind

namespace analytics::parse {

struct EventColumn {
    std::string_view name;
    std::string_view sql_type; // udt_name: varchar, text, int4, int8, bool, jsonb, timestamptz
    bool nullable;
    std::size_t length; // varchar(length); 0 for other types
};

// Every column of each table, in table order.
inline constexpr EventColumn search_row_columns[] = {
#define ANALYTICS_SEARCH_COLUMN(name, member, kind, length)                                        \
    {#name, event_kind::kind::sql_type, event_kind::kind::nullable, length},
#include <analytics/parse/event_columns.def>
};

inline constexpr EventColumn impression_row_columns[] = {
#define ANALYTICS_IMPRESSION_COLUMN(name, member, kind, length)                                    \
    {#name, event_kind::kind::sql_type, event_kind::kind::nullable, length},
#include <analytics/parse/event_columns.def>
};

inline constexpr EventColumn event_row_columns[] = {
#define ANALYTICS_EVENT_COLUMN(name, member, kind, length)                                         \
    {#name, event_kind::kind::sql_type, event_kind::kind::nullable, length},
#include <analytics/parse/event_columns.def>
};

// The varchar length of the column called name; 0 when it has none. A name
// that is not a column is a programming error.
template <std::size_t N>
constexpr std::size_t varchar_length(const EventColumn (&columns)[N], std::string_view name) {
    for (const auto& column : columns) {
        if (column.name == name) {
            return column.length;
        }
    }
    throw std::logic_error("no column " + std::string(name));
}

} // namespace analytics::parse
