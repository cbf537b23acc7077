// Prints the access_logs catalogue (record/access_columns.def) one column a
// line, "name udt_name is_nullable" as information_schema.columns spells
// them, for access_columns.sh to compare with the migrated table.

#include <analytics/record/access_columns.hpp>

#include <iostream>

int main() {
    for (const auto& column : analytics::record::access_log_columns) {
        std::cout << column.name << ' ' << column.sql_type << ' ' << (column.in_key ? "NO" : "YES")
                  << '\n';
    }
    return 0;
}
