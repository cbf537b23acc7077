#pragma once

// Passwords in libpq connection strings (keyword=value or URI), found and
// masked so they are never printed: by db/ in its messages and by config/
// when it shows the configuration. Here because config/ sits below db/.

#include <optional>
#include <string>

namespace analytics {

// Quotes a value for a keyword=value conninfo string.
std::string quote_conninfo_value(const std::string& value);

// True for postgresql:// and postgres:// URIs.
bool is_conninfo_uri(const std::string& conninfo);

// True when the string sets a password (keyword, URI user:password@ or ?password=).
bool has_password(const std::string& conninfo);

// The string with any password replaced by ********, for messages and logs.
std::string mask_password(const std::string& conninfo);

// The options libpq reads from conninfo, in keyword form without the
// password, and the password ("" when none): for a child process that takes
// the password from its environment. nullopt, with libpq's reason in error,
// when libpq cannot parse conninfo.
struct ConninfoWithoutPassword {
    std::string rest;
    std::string password;
};

std::optional<ConninfoWithoutPassword> without_password(const std::string& conninfo,
                                                        std::string& error);

// Any scheme://user:password@ URL (a Pushgateway's) with the password masked.
std::string mask_url_password(const std::string& url);

} // namespace analytics
