#pragma once

// One HTTP request as stored in access_logs (SPEC §3). A parser fills the raw
// fields, the enricher derives the rest; the same object is reused for every
// line, so clear() keeps all buffers.

#include <analytics/record/access_columns.hpp>

#include <string_view>

namespace analytics::record {

// The members are the columns of access_columns.def, one per column, of the
// type of its kind (record/access_columns.hpp): add a column there.
struct AccessRecord {
#define ANALYTICS_ACCESS_COLUMN(name, member, kind) column_kind::kind::type member{};
#include <analytics/record/access_columns.def>
#undef ANALYTICS_ACCESS_COLUMN

    void clear() noexcept;
};

// Sets a column by its access_logs name (--extra). Returns false for a name
// that is not a settable text column.
bool set_column(AccessRecord& record, std::string_view column, std::string_view value);
// The member set_column reaches, resolved once for a name used on every
// record (keys_blacklist); nullptr for a name that is not a settable text column.
Nullable AccessRecord::*text_column_member(std::string_view column) noexcept;

// Sets roles from "ROLE_A,ROLE_B" (blanks dropped; none at all is NULL, never [""]).
void set_roles(AccessRecord& record, std::string_view comma_separated);

} // namespace analytics::record
