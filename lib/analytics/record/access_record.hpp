#pragma once

// One HTTP request as stored in access_logs (SPEC §3). A parser fills the raw
// fields, the enricher derives the rest; the same object is reused for every
// line, so clear() keeps all buffers.

#include <analytics/record/json_object.hpp>
#include <analytics/record/nullable.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace analytics::record {

struct AccessRecord {
    std::string id;
    std::int64_t ts_us = 0; // microseconds since the Unix epoch, UTC
    Nullable message;
    Nullable app_id, app_path, app_name;
    Nullable user_id, user_name, org_id, org_name;
    std::vector<std::string> roles;
    bool roles_null = true;
    Nullable auth_method;
    Nullable request_method, request_path, request_query_string;
    JsonObject request_details;
    NullableNumber<std::int32_t> response_time; // milliseconds
    NullableNumber<std::int64_t> response_size; // bytes
    NullableNumber<std::int32_t> status_code;
    Nullable client_ip, server_address;
    JsonObject context_data;
    NullableNumber<std::int64_t> api_key_id;
    NullableNumber<std::int32_t> tier_id;
    Nullable visit_token;
    Nullable user_agent, user_agent_family, user_agent_version;
    Nullable os_family, os_version;
    Nullable device_family, device_brand, device_model, device_type;
    Nullable referrer, referring_domain, source_host;
    Nullable utm_source, utm_medium, utm_term, utm_content, utm_campaign;
    Nullable client_name, client_version, client_channel, client_instance;

    void clear() noexcept;
};

// Sets or clears a column by its access_logs name (--extra, keys_blacklist).
// Returns false for a name that is not a settable text column.
bool set_column(AccessRecord& record, std::string_view column, std::string_view value);
bool null_column(AccessRecord& record, std::string_view column);

// Sets roles from "ROLE_A,ROLE_B" (blanks dropped; none at all is NULL, never [""]).
void set_roles(AccessRecord& record, std::string_view comma_separated);

} // namespace analytics::record
