#pragma once

// The rows of the `events` format as `ingest --output` writes them.

#include <analytics/parse/event_rows.hpp>

#include <string>

namespace analytics::parse {

// One JSON object per row, the table's columns as keys (NULLs omitted) plus
// "table": the table the row goes to.
void append_json(std::string& out, const SearchRow& row);
void append_json(std::string& out, const ImpressionRow& row);
void append_json(std::string& out, const EventRow& row);

} // namespace analytics::parse
