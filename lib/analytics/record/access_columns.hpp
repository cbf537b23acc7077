#pragma once

// The kinds of access_logs columns, and the catalogue of access_columns.def
// as a table for code that needs the columns by name (SQL lists, checks).
// A kind fixes the AccessRecord member's type, the column's SQL type (as
// information_schema.columns.udt_name gives it) and, through overloads on the
// kind, what each writer does with the column.

#include <analytics/record/json_object.hpp>
#include <analytics/record/nullable.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace analytics::record::column_kind {

template <typename Member, bool InKey = false>
struct Kind {
    using type = Member;
    static constexpr bool in_key = InKey;
};

// Part of the primary key (ts, id): NOT NULL, never updated by reprocess.
struct key : Kind<std::string, true> {
    static constexpr std::string_view sql_type = "text";
};

// Microseconds since the Unix epoch, UTC. Last in COPY rows (load/copy_text.hpp).
struct timestamp : Kind<std::int64_t, true> {
    static constexpr std::string_view sql_type = "timestamptz";
};

// Text that parsers, --extra, API JSON keys and keys_blacklist may set or
// clear by name (set_column, text_column_member).
struct text : Kind<Nullable> {
    static constexpr std::string_view sql_type = "text";
};

// Text only a parser sets (the request path and query string): not settable
// by name, and reprocess reads an empty stored value back as empty, not NULL.
struct parsed_text : Kind<Nullable> {
    static constexpr std::string_view sql_type = "text";
};

struct text_array : Kind<NullableList> {
    static constexpr std::string_view sql_type = "_text";
};

struct int4 : Kind<NullableNumber<std::int32_t>> {
    static constexpr std::string_view sql_type = "int4";
};

struct int8 : Kind<NullableNumber<std::int64_t>> {
    static constexpr std::string_view sql_type = "int8";
};

// A JSON object, NULL when empty; JSON lines omit it when empty.
struct jsonb : Kind<JsonObject> {
    static constexpr std::string_view sql_type = "jsonb";
};

// request_details: a jsonb like the others, but JSON lines always carry it
// ("{}" when empty), and reprocess rebuilds it from the stored parameters
// and the query string rather than reading it back.
struct details : Kind<JsonObject> {
    static constexpr std::string_view sql_type = "jsonb";
};

} // namespace analytics::record::column_kind

namespace analytics::record {

struct AccessColumn {
    std::string_view name;
    std::string_view sql_type; // udt_name: text, _text, int4, int8, jsonb, timestamptz
    bool in_key;               // NOT NULL, part of the primary key
};

// Every access_logs column, in table order.
inline constexpr AccessColumn access_log_columns[] = {
#define ANALYTICS_ACCESS_COLUMN(name, member, kind)                                                \
    {#name, column_kind::kind::sql_type, column_kind::kind::in_key},
#include <analytics/record/access_columns.def>
#undef ANALYTICS_ACCESS_COLUMN
};

} // namespace analytics::record
