#pragma once

// The `events` input format: one geoportal beacon payload per line,
// {"searches":[…],"impressions":[…],"events":[…]}, bare or wrapped as
// {"received_at":…, "headers":{…}, "body":{…}} so that the BTAA endpoint's
// header defaults apply (btaa-analytics-storage.md §5). Normalisation follows
// §5.2 there with its bugs fixed: "false" is false, numbers are validated per
// field, over-long values are truncated on UTF-8 boundaries, and one bad row
// never loses the others.

#include <analytics/parse/event_rows.hpp>
#include <analytics/time/local_zone.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace analytics::parse {

class EventsParser {
  public:
    explicit EventsParser(const time::LocalZone& zone);
    ~EventsParser();

    // Parses one line into out (cleared first). Returns false with a reason
    // when the whole line is unusable (not JSON, not an object, ...).
    bool parse(std::string_view line, BeaconBatch& out, std::string& reason);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace analytics::parse
