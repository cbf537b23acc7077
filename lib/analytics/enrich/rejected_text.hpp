#pragma once

// The text of a rejected line as it may be kept, in the --rejects file and in
// ingest_rejects.raw: the same privacy as an accepted record. Cut to
// rejected_text_chars characters of valid UTF-8 without NUL bytes; the values
// of secret parameters REDACTED; and the values of data_privacy.keys_blacklist
// fields REDACTED wherever they can be found without parsing the line (which
// failed): the user field of a CLF line, JSON properties named like the field
// or like its OpenTelemetry attribute, and for client_ip every IP address
// (truncated instead when data_privacy.anonymize_ip is set).

#include <analytics/config/config.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace analytics::enrich {

inline constexpr std::size_t rejected_text_chars = 4096;

class RejectedText {
  public:
    explicit RejectedText(const config::Config& config);

    std::string operator()(std::string_view raw) const;

  private:
    bool m_ip = false;                    // client_ip is blacklisted (or anonymized)
    bool m_anonymize = false;             // truncate addresses rather than remove them
    bool m_user = false;                  // user_id or user_name is blacklisted
    std::vector<std::string> m_json_keys; // JSON property names whose values go
};

} // namespace analytics::enrich
