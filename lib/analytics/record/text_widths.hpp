#pragma once

// The width of every stored text column of access_logs, in characters: a
// longer value is cut on a character boundary and counted in a warning, so
// that one hostile line cannot make a row (and so a batch) of megabytes.
// The BTAA widths where its schema has them; a bound that keeps one row small
// for the rest. README "Stored values" lists them.

#include <analytics/record/access_columns.hpp>
#include <analytics/record/access_record.hpp>

#include <cstddef>
#include <string_view>
#include <type_traits>

namespace analytics::record {

struct TextWidth {
    std::string_view column;
    std::size_t max; // characters
};

inline constexpr std::size_t default_text_width = 1000;

inline constexpr TextWidth text_widths[] = {
    {"message", 16000},      {"request_path", 2000},  {"request_query_string", 8000},
    {"referrer", 2000},      {"visit_token", 255},    {"client_name", 100},
    {"client_version", 100}, {"client_channel", 50},  {"client_instance", 100},
    {"user_id", 255},        {"user_name", 255},      {"org_id", 255},
    {"org_name", 255},       {"app_id", 255},         {"app_path", 255},
    {"app_name", 255},       {"server_address", 255}, {"referring_domain", 255},
    {"source_host", 255},    {"utm_source", 255},     {"utm_medium", 255},
    {"utm_term", 255},       {"utm_content", 255},    {"utm_campaign", 255},
    {"visitor_key", 16},     {"country_code", 2},
};

// Roles (text[]): at most this many, each at most max_role_width characters.
inline constexpr std::size_t max_roles = 100;
inline constexpr std::size_t max_role_width = 255;

constexpr std::size_t text_width_of(std::string_view column) noexcept {
    for (const TextWidth& width : text_widths) {
        if (width.column == column) {
            return width.max;
        }
    }
    return default_text_width;
}

// Calls fn(column name, the member, its width) for every text column.
template <typename Fn>
void for_each_text_column(AccessRecord& record, Fn&& fn) {
#define ANALYTICS_ACCESS_COLUMN(name, member, kind)                                                \
    if constexpr (std::is_same_v<column_kind::kind::type, Nullable>) {                             \
        constexpr std::size_t width = text_width_of(#name); /* per record: not looked up */        \
        fn(std::string_view(#name), record.member, width);                                         \
    }
#include <analytics/record/access_columns.def>
#undef ANALYTICS_ACCESS_COLUMN
}

} // namespace analytics::record
