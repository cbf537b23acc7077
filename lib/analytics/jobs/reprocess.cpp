#include <analytics/db/session_impl.hpp>
#include <analytics/enrich/enricher.hpp>
#include <analytics/ingest/record_builder.hpp>
#include <analytics/jobs/reprocess.hpp>
#include <analytics/load/batch.hpp>
#include <analytics/load/batch_loader.hpp>
#include <analytics/load/copy_text.hpp>
#include <analytics/load/db_errors.hpp>
#include <analytics/storage/calendar.hpp>
#include <analytics/storage/rollup.hpp>
#include <analytics/storage/rollup_locks.hpp>
#include <analytics/time/civil_day.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

namespace analytics::jobs {

using load::Batch;
using load::Table;

namespace {

namespace column_kind = record::column_kind;

constexpr const char* stage = "analytics_reprocess";

// Keys the classification writes into request_details, over any parameter
// of the same name.
constexpr const char* classification_keys[] = {
    "service", "request",     "layers",          "workspaces",    "crs", "size",
    "tiled",   "is_download", "download_format", "full_download", "tags"};

bool is_classification_key(std::string_view key) {
    return std::find(std::begin(classification_keys), std::end(classification_keys), key) !=
           std::end(classification_keys);
}

// Of those, the ones no request parameter carries: always recomputed.
bool is_derived_flag(std::string_view key) {
    return key == "tags" || key == "tiled" || key == "is_download" || key == "download_format" ||
           key == "full_download";
}

void fill_object(record::JsonObject& object, const std::string& json) {
    object.clear();
    const auto doc = nlohmann::json::parse(json, nullptr, false);
    if (!doc.is_object()) {
        return;
    }
    for (const auto& [key, value] : doc.items()) {
        if (value.is_string()) {
            object.set_string(key, value.get<std::string>());
        } else if (value.is_boolean()) {
            object.set_bool(key, value.get<bool>());
        } else if (value.is_null()) {
            object.set_null(key);
        } else if (value.is_array() && std::all_of(value.begin(), value.end(),
                                                   [](const auto& v) { return v.is_string(); })) {
            auto& items = object.set_array(key);
            for (const auto& item : value) {
                items.push_back(item.get<std::string>());
            }
        } else {
            object.set_raw(key, value.dump());
        }
    }
}

template <typename T>
void set_number(record::NullableNumber<T>& field, const pqxx::field& value) {
    if (value.is_null()) {
        field.reset();
    } else {
        field.set(value.as<T>());
    }
}

// Without a query string, the stored layers and workspaces are all that is
// left of the layer parameter: "psc" and "cours_eau,ortho" were
// "psc:cours_eau,psc:ortho" before the classification split them.
std::string rejoin_layers(const std::string& layers, const std::string& workspace) {
    std::string joined;
    std::size_t from = 0;
    while (from <= layers.size()) {
        const std::size_t comma = std::min(layers.find(',', from), layers.size());
        const std::string layer = layers.substr(from, comma - from);
        joined += joined.empty() ? "" : ",";
        joined += layer.find(':') == std::string::npos && !layer.empty() ? workspace + ":" + layer
                                                                         : layer;
        from = comma + 1;
    }
    return joined;
}

// One stored column back into its member, as its kind is read (see select_sql).
void read_field(column_kind::key, const pqxx::field& value, std::string& member) {
    member = value.as<std::string>();
}

void read_field(column_kind::timestamp, const pqxx::field& value, std::int64_t& us) {
    us = value.as<std::int64_t>();
}

void read_field(column_kind::text, const pqxx::field& value, record::Nullable& member) {
    if (!value.is_null()) {
        member.set_or_null(value.as<std::string>());
    }
}

void read_field(column_kind::parsed_text, const pqxx::field& value, record::Nullable& member) {
    if (!value.is_null()) {
        member.set(value.as<std::string>());
    }
}

void read_field(column_kind::text_array, const pqxx::field& value, record::NullableList& member) {
    if (!value.is_null()) {
        member.null = false;
        for (const auto& item : nlohmann::json::parse(value.as<std::string>())) {
            member.items.push_back(item.get<std::string>());
        }
    }
}

template <typename Kind, typename T>
void read_field(Kind, const pqxx::field& value, record::NullableNumber<T>& member) {
    set_number(member, value);
}

void read_field(column_kind::jsonb, const pqxx::field& value, record::JsonObject& member) {
    if (!value.is_null()) {
        fill_object(member, value.as<std::string>());
    }
}

// Rebuilt by read_row from the stored parameters and the query string.
void read_field(column_kind::details, const pqxx::field&, record::JsonObject&) {}

// A stored row back into a record whose raw fields the enricher reads.
void read_row(const pqxx::row& row, record::AccessRecord& r, record::RequestExtras& extras) {
    r.clear();
    extras.clear();
#define ANALYTICS_ACCESS_COLUMN(name, member, kind)                                                \
    read_field(column_kind::kind{}, row[#name], r.member);
#include <analytics/record/access_columns.def>
#undef ANALYTICS_ACCESS_COLUMN
    // Parameters: the stored ones (OTel records carry parameters that are
    // not in the query string, and they win over it), then those of the
    // stored query string. With a query string, the keys the classification
    // wrote over parameters come from it again; without one, the stored
    // values are all there is, and only the derived flags are dropped.
    const bool has_query = r.request_query_string.has_value();
    if (!row["request_details"].is_null()) {
        record::JsonObject stored;
        fill_object(stored, row["request_details"].as<std::string>());
        const std::string* layers = stored.find_string("layers");
        const std::string* workspaces = stored.find_string("workspaces");
        // (A workspace taken from a REST path, such as "/ortho", is not a prefix.)
        if (!has_query && layers != nullptr && workspaces != nullptr && !workspaces->empty() &&
            workspaces->find_first_of(",/") == std::string::npos) {
            stored.set_string("layers", rejoin_layers(*layers, *workspaces));
            stored.erase("workspaces");
        }
        for (const auto& entry : stored) {
            if (entry.kind == record::JsonObject::Kind::string && !is_derived_flag(entry.key) &&
                !(has_query && is_classification_key(entry.key))) {
                r.request_details.set_string(entry.key, entry.text);
            }
        }
    }
    if (has_query) {
        enrich::add_query_parameters(r.request_query_string.value(), r.request_details);
    }
    extras.explicit_params = true;
    // The stored application path keeps any override (--extra, a regex group).
    if (r.app_path.has_value()) {
        extras.app_path = r.app_path.value();
        extras.app_path_is_root = extras.app_path == "/";
    }
    // Derived columns are recomputed from scratch.
    for (record::Nullable record::AccessRecord::*column :
         {&record::AccessRecord::app_id, &record::AccessRecord::app_name,
          &record::AccessRecord::referring_domain, &record::AccessRecord::user_agent_family,
          &record::AccessRecord::user_agent_version, &record::AccessRecord::os_family,
          &record::AccessRecord::os_version, &record::AccessRecord::device_family,
          &record::AccessRecord::device_brand, &record::AccessRecord::device_model,
          &record::AccessRecord::device_type}) {
        (r.*column).reset();
    }
}

// Every column under its own name: the timestamp in microseconds (ts_text
// keeps its text for the next page), arrays and objects as JSON text.
std::string select_sql(const db::Session& session) {
    std::string sql = "SELECT a.ts::text AS ts_text";
    for (const auto& column : record::access_log_columns) {
        const std::string name(column.name);
        if (column.sql_type == column_kind::timestamp::sql_type) {
            sql += ", (extract(epoch FROM " + name + ") * 1000000)::bigint AS " + name;
        } else if (column.sql_type == column_kind::text_array::sql_type) {
            sql += ", array_to_json(" + name + ")::text AS " + name;
        } else if (column.sql_type == column_kind::jsonb::sql_type) {
            sql += ", " + name + "::text AS " + name;
        } else {
            sql += ", " + name;
        }
    }
    // Qualified below: a bare ts would name the output column, in microseconds.
    sql += " FROM " + db::qualified(session, "access_logs") +
           " a WHERE a.ts >= $1::timestamptz AND a.ts < $2::timestamptz AND (a.ts, a.id) > "
           "($3::timestamptz, $4)";
    return sql + " AND ($5::text IS NULL OR a.app_name = $5) ORDER BY a.ts, a.id LIMIT $6";
}

// "(a, b)", "(a.a, a.b)" and "(s.a, s.b)": every column but the key.
struct UpdateLists {
    std::string columns, old_values, new_values;
};

UpdateLists update_lists() {
    std::string columns, olds, values;
    for (const auto& column : record::access_log_columns) {
        if (column.in_key) {
            continue;
        }
        const std::string name(column.name);
        columns += (columns.empty() ? "" : ", ") + name;
        olds += (olds.empty() ? "a." : ", a.") + name;
        values += (values.empty() ? "s." : ", s.") + name;
    }
    return {"(" + columns + ")", "(" + olds + ")", "(" + values + ")"};
}

} // namespace

ingest::RunSummary reprocess(db::Session& session, const config::Config& config,
                             const ReprocessOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    const std::int64_t first = time::parse_day(options.from, "--from");
    const std::int64_t last = time::parse_day(options.to, "--to");
    if (last < first) {
        throw UsageError("--to " + options.to + " is before --from " + options.from);
    }
    ingest::RunSummary summary;
    summary.run = ingest::RunSummary::Run::reprocess;
    summary.dry_run = options.dry_run;
    const time::LocalZone zone(config.timezone);
    ingest::RecordBuilder builder(config);
    record::AccessRecord record;
    record::RequestExtras extras;
    const auto [columns, old_values, values] = update_lists();
    const std::string select = select_sql(session);
    auto& conn = session.impl().connection;
    try {
        for (std::int64_t day = first; day <= last; ++day) {
            const std::string day_from =
                time::format_iso_utc(zone.to_utc(day * storage::us_per_day));
            const std::string day_to =
                time::format_iso_utc(zone.to_utc((day + 1) * storage::us_per_day));
            std::string after_ts = day_from, after_id;
            for (;;) {
                pqxx::work tx{conn};
                const auto rows = options.app.empty()
                                      ? tx.exec_params(select, day_from, day_to, after_ts, after_id,
                                                       nullptr, options.batch_size)
                                      : tx.exec_params(select, day_from, day_to, after_ts, after_id,
                                                       options.app, options.batch_size);
                if (rows.empty()) {
                    break;
                }
                Batch batch(zone);
                for (const auto& row : rows) {
                    read_row(row, record, extras);
                    builder.rebuild(record, extras);
                    batch.add(record);
                }
                after_ts = rows.back()["ts_text"].as<std::string>();
                after_id = rows.back()["id"].as<std::string>();
                summary.rows += rows.size();
                // Before the rows change: the day's lock against a
                // concurrent rollup (storage/rollup_locks.hpp).
                storage::lock_days_for_writing(tx, session, "access_logs", {day});
                const std::string staged =
                    load::empty_stage(tx, session, stage, Table::access_logs);
                load::copy_rows(tx, staged, Table::access_logs,
                                batch.rows(Table::access_logs).text);
                const auto result = tx.exec_params(
                    "UPDATE " + db::qualified(session, "access_logs") + " a SET " + columns +
                        " = " + values + " FROM " + staged +
                        " s WHERE a.ts = s.ts AND a.id = s.id AND a.ts >= $1::timestamptz AND "
                        "a.ts < $2::timestamptz AND " +
                        old_values + " IS DISTINCT FROM " + values,
                    day_from, day_to);
                summary.changed += result.affected_rows();
                if (options.dry_run) {
                    tx.abort();
                } else {
                    if (result.affected_rows() > 0) {
                        summary.dirty_days += load::mark_dirty_days(tx, session, Table::access_logs,
                                                                    {storage::format_day(day)});
                    }
                    tx.commit();
                }
                if (rows.size() < options.batch_size) {
                    break;
                }
            }
            ++summary.days;
        }
    } catch (const pqxx::failure&) {
        load::rethrow_database_error(
            conn, "reprocessing access_logs",
            "the days reprocessed so far are committed; a re-run redoes the "
            "rest");
    }
    builder.move_warnings(summary);
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

} // namespace analytics::jobs
