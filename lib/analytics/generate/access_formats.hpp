#pragma once

// Renders a synthetic request as one line of an access-log format.

#include <analytics/generate/traffic.hpp>
#include <analytics/time/local_zone.hpp>

#include <string>
#include <string_view>

namespace analytics::generate {

enum class AccessFormat { common, combined, georchestra, regex, otel };

// False for a name that is not one of the formats above.
bool access_format_from_name(std::string_view name, AccessFormat& out) noexcept;

// Appends the line (with its newline) to out. Returns false when the format
// cannot express the request (regex: the default pattern needs /app/path).
bool append_access_line(AccessFormat format, const SyntheticRequest& request,
                        const time::LocalZone& zone, std::string& out);

// OTLP/JSON: one ExportLogsServiceRequest line holding these requests.
void append_otlp_line(const SyntheticRequest* requests, std::size_t count, std::string& out);

} // namespace analytics::generate
