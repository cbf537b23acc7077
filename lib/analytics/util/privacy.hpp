#pragma once

// The one list of names whose values are secrets, for every path that keeps
// user data: query parameters of access logs (enrich/), raw lines kept as
// rejects, and the properties of geoportal events (parse/events). It lives in
// util/ because it is the lowest layer both parse/ and enrich/ use.

#include <string_view>

namespace analytics {

// The union of the lists the access-log enricher and the event reader kept
// apart until they diverged; written lower-case, with '_' for '-'.
// output_path: the BTAA CLI redacts it before sending (btaa §5.5, §7).
inline constexpr std::string_view secret_names[] = {
    "api_key", "apikey", "access_token", "authkey",       "token",         "password",
    "passwd",  "pwd",    "secret",       "client_secret", "authorization", "output_path"};

// Every secret name contains one of these (tests/unit/test_privacy.cpp checks it).
inline constexpr std::string_view secret_fragments[] = {"key",    "token", "pass",  "pwd",
                                                        "secret", "auth",  "output"};

// True when a key (a query parameter, a JSON property) names a secret:
// api_key, access_token, password, … Compared ASCII case-insensitively, with
// '-' and '_' the same ("API-Key" is "api_key").
bool is_secret_name(std::string_view key) noexcept;

// A cheap pre-check for the hot path: false only when lower-case text cannot
// contain a secret name (each name contains one of a few fragments).
bool may_name_a_secret(std::string_view lower_text) noexcept;

} // namespace analytics
