#include <analytics/record/access_record.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace analytics::record {

namespace {

void clear_column(std::string& value) noexcept {
    value.clear();
}

void clear_column(std::int64_t& value) noexcept {
    value = 0;
}

void clear_column(JsonObject& value) noexcept {
    value.clear();
}

// Nullable, NullableList, NullableNumber.
template <typename T>
void clear_column(T& value) noexcept {
    value.reset();
}

struct NamedColumn {
    std::string_view name;
    Nullable AccessRecord::*member; // nullptr: not settable by name
};

// The member of a column settable by name (kind text), else nullptr.
template <typename Kind, typename T>
constexpr Nullable AccessRecord::*by_name(T AccessRecord::*member) {
    if constexpr (std::is_same_v<Kind, column_kind::text>) {
        return member;
    } else {
        return nullptr;
    }
}

constexpr NamedColumn all_columns[] = {
#define ANALYTICS_ACCESS_COLUMN(name, member, kind)                                                \
    {#name, by_name<column_kind::kind>(&AccessRecord::member)},
#include <analytics/record/access_columns.def>
#undef ANALYTICS_ACCESS_COLUMN
};

constexpr std::size_t settable_count() {
    std::size_t n = 0;
    for (const auto& column : all_columns) {
        n += column.member != nullptr ? 1 : 0;
    }
    return n;
}

// Only the settable ones: a name that is none of them (a request parameter
// in keys_blacklist, an unknown API key) is looked up for every record.
constexpr auto settable_columns = [] {
    std::array<NamedColumn, settable_count()> columns{};
    std::size_t n = 0;
    for (const auto& column : all_columns) {
        if (column.member != nullptr) {
            columns[n++] = column;
        }
    }
    return columns;
}();

Nullable* text_column(AccessRecord& r, std::string_view name) {
    Nullable AccessRecord::*member = text_column_member(name);
    return member != nullptr ? &(r.*member) : nullptr;
}

} // namespace

Nullable AccessRecord::*text_column_member(std::string_view column) noexcept {
    for (const auto& named : settable_columns) {
        if (named.name == column) {
            return named.member;
        }
    }
    return nullptr;
}

void AccessRecord::clear() noexcept {
#define ANALYTICS_ACCESS_COLUMN(name, member, kind) clear_column(member);
#include <analytics/record/access_columns.def>
#undef ANALYTICS_ACCESS_COLUMN
}

bool set_column(AccessRecord& record, std::string_view column, std::string_view value) {
    if (Nullable* field = text_column(record, column)) {
        field->set_or_null(value);
        return true;
    }
    return false;
}

void set_roles(AccessRecord& record, std::string_view list) {
    record.roles.items.clear();
    std::size_t pos = 0;
    while (pos <= list.size()) {
        std::size_t end = list.find(',', pos);
        if (end == std::string_view::npos) {
            end = list.size();
        }
        std::string_view role = list.substr(pos, end - pos);
        while (!role.empty() && role.front() == ' ') {
            role.remove_prefix(1);
        }
        while (!role.empty() && role.back() == ' ') {
            role.remove_suffix(1);
        }
        if (!role.empty()) {
            record.roles.items.emplace_back(role);
        }
        pos = end + 1;
    }
    record.roles.null = record.roles.items.empty();
}

} // namespace analytics::record
