#pragma once

// access_logs records as JSON lines (`ingest --output`): one object per
// record, the columns as keys in table order, NULL columns omitted.

#include <analytics/record/access_record.hpp>

#include <string>

namespace analytics::record {

void append_json(std::string& out, const JsonObject& object);
// Appends the record's object (no newline).
void append_json(std::string& out, const AccessRecord& record);

} // namespace analytics::record
