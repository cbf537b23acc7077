#pragma once

// An open connection to the analytics database, with the schema and time
// zone of the configuration applied. Commands get one from open_session().

#include <analytics/config/config.hpp>
#include <analytics/config/env.hpp>
#include <analytics/db/conninfo.hpp>

#include <memory>
#include <string>

namespace analytics::db {

enum class SchemaPolicy {
    none,           // 'migrate' itself: no check
    require_current // refuse an out-of-date schema (exit 78); the embedded default migrates itself
};

struct OpenOptions {
    const config::Config* config = nullptr;
    std::string cli_db;  // --db
    std::string command; // for fallback_application_name=analytics-<command>
    SchemaPolicy policy = SchemaPolicy::require_current;
    config::EnvLookup env = config::process_env();
};

class Session {
  public:
    struct Impl;

    Session(std::unique_ptr<Impl> impl, Target target, std::string schema, std::string timezone);
    ~Session();
    Session(Session&&) noexcept;
    Session& operator=(Session&&) noexcept;

    const Target& target() const noexcept { return m_target; }

    const std::string& schema() const noexcept { return m_schema; }

    const std::string& timezone() const noexcept { return m_timezone; }

    // "host=... dbname=..." with any password masked, for messages.
    std::string describe() const;

    Impl& impl() noexcept { return *m_impl; }

  private:
    std::unique_ptr<Impl> m_impl;
    Target m_target;
    std::string m_schema;
    std::string m_timezone;
};

// A resolved target and how to reach it.
struct Endpoint {
    Target target;
    std::string conninfo; // without fallback_application_name
    std::string bin_dir;  // the embedded server's binaries; empty for an external target
};

// Resolves the target; when it is the embedded cluster, starts it (creating
// it on first use). Throws DbUnavailable, ConfigError, UsageError.
Endpoint reach_target(const OpenOptions& options);

// Resolves the target (starting the embedded cluster if that is the one),
// connects, and applies the schema policy. Throws DbUnavailable (69) when the
// server cannot be reached, ConfigError (78) for an out-of-date schema.
Session open_session(const OpenOptions& options);

} // namespace analytics::db
