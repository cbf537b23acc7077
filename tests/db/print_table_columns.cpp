// Prints the column catalogues (record/access_columns.def for access_logs,
// parse/event_columns.def for the event tables) one column a line,
// "table name udt_name is_nullable length" as information_schema.columns
// spells them (length 0 where it has none), for table_columns.sh to compare
// with the migrated tables.

#include <analytics/parse/event_columns.hpp>
#include <analytics/record/access_columns.hpp>

#include <iostream>
#include <string_view>

namespace {

template <class Columns>
void print_events(std::string_view table, const Columns& columns) {
    for (const auto& column : columns) {
        std::cout << table << ' ' << column.name << ' ' << column.sql_type << ' '
                  << (column.nullable ? "YES" : "NO") << ' ' << column.length << '\n';
    }
}

} // namespace

int main() {
    for (const auto& column : analytics::record::access_log_columns) {
        std::cout << "access_logs " << column.name << ' ' << column.sql_type << ' '
                  << (column.in_key ? "NO" : "YES") << " 0\n";
    }
    print_events("searches", analytics::parse::search_row_columns);
    print_events("search_impressions", analytics::parse::impression_row_columns);
    print_events("events", analytics::parse::event_row_columns);
    return 0;
}
