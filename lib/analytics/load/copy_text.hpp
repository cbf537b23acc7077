#pragma once

// Rows in PostgreSQL's COPY text format: tab-separated, \N for NULL,
// backslash escapes. Every load (ingest, process, reprocess) renders rows
// here, so the bytes sent are the same whatever the path.

#include <analytics/parse/event_rows.hpp>
#include <analytics/record/access_record.hpp>

#include <string>
#include <string_view>

namespace analytics::load {

// The column lists the rows below follow, in order. The timestamp comes
// last: a row then never ends in a backslash, which libpqxx refuses.
extern const char* const access_columns;
extern const char* const search_columns;
extern const char* const impression_columns;
extern const char* const event_columns;

// Appends text escaped for a COPY text field. A NUL byte, which no text
// column can hold, becomes U+FFFD.
void append_copy_text(std::string& out, std::string_view text);
// Appends JSON text escaped for a jsonb field; "\u0000", which jsonb
// refuses, becomes "\ufffd".
void append_copy_json(std::string& out, std::string_view json);

// One row each, ending with "\n".
void append_copy_row(std::string& out, const record::AccessRecord& record, std::string& scratch);
void append_copy_row(std::string& out, const parse::SearchRow& row);
void append_copy_row(std::string& out, const parse::ImpressionRow& row);
void append_copy_row(std::string& out, const parse::EventRow& row);

} // namespace analytics::load
