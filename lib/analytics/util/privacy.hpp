#pragma once

// The one list of names whose values are secrets, for every path that keeps
// user data: query parameters of access logs (enrich/), raw lines kept as
// rejects, and the properties of geoportal events (parse/events). It lives in
// util/ because it is the lowest layer both parse/ and enrich/ use.

#include <analytics/util/url.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace analytics {

// The union of the lists the access-log enricher and the event reader kept
// apart until they diverged; written lower-case, with '_' for '-'.
// output_path: the BTAA CLI redacts it before sending (btaa §5.5, §7).
// x_api_key … session: signed URLs, OpenID Connect and session parameters;
// cookie: the header, a session credential as authorization is.
// data_privacy.secret_keys in the configuration adds names to these.
inline constexpr std::string_view secret_names[] = {
    "api_key",       "apikey",      "access_token", "authkey",  "token",
    "password",      "passwd",      "pwd",          "secret",   "client_secret",
    "authorization", "output_path", "x_api_key",    "id_token", "refresh_token",
    "sig",           "signature",   "session",      "cookie"};

// Every secret name contains one of these (tests/unit/test_privacy.cpp checks it).
inline constexpr std::string_view secret_fragments[] = {
    "key", "token", "pass", "pwd", "secret", "auth", "output", "sig", "session", "cookie"};

// True when a key (a query parameter, a JSON property) names a secret:
// api_key, access_token, password, … Compared ASCII case-insensitively, with
// '-' and '_' the same ("API-Key" is "api_key"), and control characters and
// blanks ignored: "api_key\0", the decoded "api_key%00", is still api_key.
// Callers percent-decode query keys first.
bool is_secret_name(std::string_view key) noexcept;

// A cheap pre-check: false only when lower-case text cannot contain a secret
// name, decoded or not (each name contains one of a few fragments, or is one
// of the configured names; text with a '+', a blank, a control character or
// an escape of a letter, digit, '_', '-' or of those always passes, as they
// may hide a fragment).
bool may_name_a_secret(std::string_view lower_text) noexcept;

// Replaces the values of secret parameters in a raw line or URL by
// "REDACTED", also where the address is encoded in a value ("%3Ftoken%3D…"),
// the values of JSON properties named by a secret (or whose last dotted part
// is: "http.request.header.Authorization"), and the credentials of an
// address ("https://REDACTED@host/"): rejected lines, stored messages,
// addresses inside parameter values.
// Returns whether it replaced any.
bool redact_secrets(std::string& text);

// Removes the key=value pairs of a raw query string whose decoded key names a
// secret, and redacts the secrets of addresses its values carry; leaves it as
// written when there is none. Returns whether it changed; scratch is working space.
bool scrub_query_string(std::string& query, std::string& scratch);

// An address kept as a column (a referrer, a search page) without secrets:
// scrub_query_string on its query string, after the cheap pre-check (the '?'
// goes with the last pair), and its "user:password@" removed. parts are
// split_url(url), views into url. Returns whether it changed.
bool scrub_url(std::string& url, const UrlParts& parts, std::string& scratch);

// Names the configuration adds to secret_names (data_privacy.secret_keys), in
// any case and with '-' or '_'. Set once at start-up, before any thread reads
// them; replaces what an earlier call set.
void set_configured_secret_names(const std::vector<std::string>& names);

} // namespace analytics
