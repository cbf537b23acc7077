#include <analytics/db/migrations.hpp>
#include <analytics/db/session_impl.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/log.hpp>

#include <cstdint>
#include <cstdio>
#include <map>
#include <set>

namespace analytics::db {

namespace {

// Serialises migrations of one schema across processes.
constexpr const char* lock_sql = "SELECT pg_advisory_lock(hashtext('analytics:migrate'), "
                                 "hashtext($1))";
constexpr const char* unlock_sql = "SELECT pg_advisory_unlock(hashtext('analytics:migrate'), "
                                   "hashtext($1))";

bool table_exists(pqxx::transaction_base& tx, const std::string& schema, const std::string& table) {
    const auto r = tx.exec_params("SELECT to_regclass(format('%I.%I', $1::text, $2::text)) "
                                  "IS NOT NULL",
                                  schema, table);
    return r[0][0].as<bool>();
}

// See foreign_access_logs.
bool foreign_tables(pqxx::transaction_base& tx, const std::string& schema) {
    return table_exists(tx, schema, "access_logs") &&
           !table_exists(tx, schema, "schema_migrations");
}

int latest_version() {
    const auto& all = embedded_migrations();
    return all.empty() ? 0 : all.back().version;
}

// opentelemetry_buffer's pg_class.relpersistence: 'p' logged, 'u' unlogged,
// '\0' while the table does not exist.
char buffer_persistence(pqxx::transaction_base& tx, const std::string& schema) {
    const auto r = tx.exec_params("SELECT relpersistence FROM pg_class WHERE oid = "
                                  "to_regclass(format('%I.%I', $1::text, 'opentelemetry_buffer'))",
                                  schema);
    return r.empty() ? '\0' : r[0][0].c_str()[0];
}

const char* persistence_keyword(bool unlogged) {
    return unlogged ? "UNLOGGED" : "LOGGED";
}

std::string setting_text(bool unlogged) {
    return std::string("database.buffer_unlogged: ") + (unlogged ? "true" : "false");
}

// database.buffer_unlogged, applied after the migrations (they leave the
// table logged since 0004): geOrchestra's UNLOGGED buffer takes inserts
// faster but is emptied by a PostgreSQL crash. Returns the keyword set, or
// "" when the table already was so.
std::string apply_buffer_persistence(Session& session, bool unlogged) {
    pqxx::work tx{session.impl().connection};
    const char now = buffer_persistence(tx, session.schema());
    if (now == '\0' || (now == 'u') == unlogged) {
        return {};
    }
    const std::string keyword = persistence_keyword(unlogged);
    log::info("setting opentelemetry_buffer " + keyword + " (" + setting_text(unlogged) + ")");
    tx.exec("ALTER TABLE " + qualified(session, "opentelemetry_buffer") + " SET " + keyword);
    tx.commit();
    return keyword;
}

// What a dry run says of that step. With migrations pending, the table's
// state after them is not known without running them, so the statement is
// shown as the conditional step it is.
void preview_buffer_persistence(Session& session, const MigrateOptions& options,
                                MigrateResult& result) {
    pqxx::read_transaction tx{session.impl().connection};
    const char now = buffer_persistence(tx, session.schema());
    const std::string keyword = persistence_keyword(options.buffer_unlogged);
    const std::string setting = setting_text(options.buffer_unlogged);
    std::string comment;
    if (!result.pending.empty()) {
        comment = "then, unless opentelemetry_buffer is " + keyword + " already (" + setting + ")";
    } else if (now != '\0' && (now == 'u') != options.buffer_unlogged) {
        comment = setting;
        result.buffer_set = keyword;
    } else {
        return;
    }
    if (options.sql_out != nullptr) {
        *options.sql_out << "-- " << comment << "\nALTER TABLE opentelemetry_buffer SET " << keyword
                         << ";\n";
    }
}

} // namespace

bool foreign_access_logs(Session& session) {
    pqxx::read_transaction tx{session.impl().connection};
    return foreign_tables(tx, session.schema());
}

std::string migration_checksum(const std::string& sql) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (unsigned char c : sql) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
    return buf;
}

SchemaState schema_state(Session& session) {
    SchemaState state;
    state.latest = latest_version();
    pqxx::read_transaction tx{session.impl().connection};
    if (table_exists(tx, session.schema(), "schema_migrations")) {
        std::set<int> applied;
        for (const auto& row :
             tx.exec("SELECT version FROM " + qualified(session, "schema_migrations"))) {
            applied.insert(row[0].as<int>());
        }
        state.current = applied.empty() ? 0 : *applied.rbegin();
        // Numbers may be skipped (sql/ holds 1, 2, 4 while 3 is written on
        // another branch), so a schema migrated by such a build can lack a
        // migration below its highest: it is then out of date as well.
        for (const auto& m : embedded_migrations()) {
            if (m.version < state.current && applied.count(m.version) == 0) {
                state.missing.push_back(m.version);
            }
        }
    }
    if (table_exists(tx, session.schema(), "settings")) {
        const auto r = tx.exec("SELECT timezone FROM " + qualified(session, "settings"));
        if (!r.empty()) {
            state.stored_timezone = r[0][0].as<std::string>();
        }
    }
    return state;
}

void check_schema(Session& session, const SchemaState& state) {
    const std::string where = "schema \"" + session.schema() + "\" of the " + session.describe();
    if (state.current == 0) {
        throw ConfigError(where + " has no analytics tables: run 'analytics migrate' first");
    }
    if (!state.missing.empty()) {
        throw ConfigError(where + " lacks migration " + std::to_string(state.missing.front()) +
                          ", older than its version " + std::to_string(state.current) +
                          ": run 'analytics migrate'");
    }
    if (state.current < state.latest) {
        throw ConfigError(where + " is at version " + std::to_string(state.current) +
                          ", this analytics needs version " + std::to_string(state.latest) +
                          ": run 'analytics migrate'");
    }
    if (state.current > state.latest) {
        throw ConfigError(where + " is at version " + std::to_string(state.current) +
                          ", newer than this analytics knows (" + std::to_string(state.latest) +
                          "): upgrade analytics");
    }
    if (state.stored_timezone && *state.stored_timezone != session.timezone()) {
        throw ConfigError(
            "the configuration says timezone \"" + session.timezone() + "\" but " + where +
            " was built for \"" + *state.stored_timezone +
            "\": monthly partitions start at local midnight in that zone, and rollups of "
            "completed days depend on it, so it cannot change once data is stored. Set "
            "timezone: " +
            *state.stored_timezone + " or use a new schema (database.schema)");
    }
}

MigrateResult migrate(Session& session, const MigrateOptions& options) {
    auto& conn = session.impl().connection;
    const std::string& schema = session.schema();
    MigrateResult result;
    result.dry_run = options.dry_run;

    if (!options.dry_run) {
        pqxx::nontransaction lock{conn};
        lock.exec_params(lock_sql, schema);
    }
    try {
        std::map<int, std::string> applied; // version -> checksum
        {
            pqxx::work tx{conn};
            // Tables of another tool (geOrchestra's TimescaleDB schema): refused
            // before anything is created in that schema, so that --adopt still
            // finds it as geOrchestra left it.
            if (foreign_tables(tx, schema)) {
                throw ConfigError("schema \"" + schema +
                                  "\" already has an access_logs table not made by analytics "
                                  "(a geOrchestra database?): run 'analytics migrate --adopt' "
                                  "to take it over, or set database.schema to another schema");
            }
            if (!options.dry_run) {
                tx.exec("CREATE SCHEMA IF NOT EXISTS " + conn.quote_name(schema));
                tx.exec("CREATE TABLE IF NOT EXISTS " + qualified(session, "schema_migrations") +
                        " (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT "
                        "NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            }
            if (table_exists(tx, schema, "schema_migrations")) {
                for (const auto& row : tx.exec("SELECT version, checksum FROM " +
                                               qualified(session, "schema_migrations"))) {
                    applied[row[0].as<int>()] = row[1].as<std::string>();
                }
            }
            tx.commit();
        }
        result.from_version = applied.empty() ? 0 : applied.rbegin()->first;
        for (const auto& m : embedded_migrations()) {
            const auto it = applied.find(m.version);
            if (it == applied.end()) {
                result.pending.push_back(m);
            } else if (it->second != migration_checksum(m.sql)) {
                throw ConfigError("migration " + std::to_string(m.version) + " (" + m.name +
                                  ") applied to schema \"" + schema +
                                  "\" differs from the one in this analytics; the schema was "
                                  "made by another build and cannot be upgraded safely");
            }
        }
        if (result.from_version > latest_version()) {
            throw ConfigError("schema \"" + schema + "\" is at version " +
                              std::to_string(result.from_version) +
                              ", newer than this analytics knows (" +
                              std::to_string(latest_version()) + "): upgrade analytics");
        }

        for (const auto& m : result.pending) {
            if (options.dry_run) {
                if (options.sql_out != nullptr) {
                    *options.sql_out << "-- migration " << m.version << ": " << m.name << "\n"
                                     << m.sql << "\n";
                }
                continue;
            }
            log::info("applying migration " + std::to_string(m.version) + " (" + m.name + ")");
            pqxx::work tx{conn};
            tx.exec(m.sql);
            tx.exec_params("INSERT INTO " + qualified(session, "schema_migrations") +
                               " (version, name, checksum) VALUES ($1, $2, $3)",
                           m.version, m.name, migration_checksum(m.sql));
            tx.commit();
        }
        if (!options.dry_run) {
            // The settings row records the zone the partitions are built with.
            pqxx::work tx{conn};
            tx.exec_params("INSERT INTO " + qualified(session, "settings") +
                               " (timezone) VALUES ($1) ON CONFLICT DO NOTHING",
                           session.timezone());
            tx.commit();
            result.buffer_set = apply_buffer_persistence(session, options.buffer_unlogged);
        } else {
            preview_buffer_persistence(session, options, result);
        }
        result.to_version = options.dry_run ? result.from_version : latest_version();
    } catch (...) {
        if (!options.dry_run && conn.is_open()) {
            try {
                pqxx::nontransaction unlock{conn};
                unlock.exec_params(unlock_sql, schema);
            } catch (const std::exception&) {
            }
        }
        throw;
    }
    if (!options.dry_run) {
        pqxx::nontransaction unlock{conn};
        unlock.exec_params(unlock_sql, schema);
    }
    if (!options.dry_run) {
        check_schema(session, schema_state(session));
    }
    return result;
}

} // namespace analytics::db
