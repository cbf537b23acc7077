#include <analytics/db/error_table.hpp>
#include <analytics/db/transaction_scope.hpp>
#include <analytics/maintain/maintain.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/json_document.hpp>
#include <analytics/util/log.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <sstream>

namespace analytics::maintain {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One maintain per schema at a time: a session-level advisory lock, released
// when the connection ends, so a killed run never leaves it behind.
void take_lock(db::Session& session, bool wait) {
    pqxx::nontransaction tx{session.impl().connection};
    if (wait) {
        log::info("waiting for any other maintain on schema " + session.schema());
        tx.exec_params("SELECT pg_advisory_lock(hashtext('analytics:maintain'), hashtext($1))",
                       session.schema());
        return;
    }
    const auto r =
        tx.exec_params("SELECT pg_try_advisory_lock(hashtext('analytics:maintain'), hashtext($1))",
                       session.schema());
    if (!r[0][0].as<bool>()) {
        throw LockBusy("another 'analytics maintain' is running on schema \"" + session.schema() +
                       "\" of the " + session.describe() + "; try again later, or use --wait");
    }
}

// Runs one step; a failure is recorded, except a lost database, which ends the run.
void step(MaintainSummary& summary, const std::string& name, const std::function<void()>& body) {
    StepReport report;
    report.name = name;
    report.ran = true;
    const auto start = std::chrono::steady_clock::now();
    try {
        body();
    } catch (const DbUnavailable&) {
        throw;
    } catch (const std::exception& e) {
        if (db::database_gone(e)) {
            throw DbUnavailable("lost the database connection during " + name + ": " +
                                error_text(e));
        }
        report.error = error_text(e);
        log::error(name + ": " + report.error);
    }
    report.seconds = seconds_since(start);
    summary.steps.push_back(std::move(report));
}

using Json = nlohmann::ordered_json;

// A dropped or kept partition, or a pruned rollup table.
Json actions_json(const std::vector<storage::RetentionAction>& actions, bool with_reason) {
    Json list = Json::array();
    for (const auto& action : actions) {
        Json item;
        item["table"] = action.table;
        if (!action.partition.empty()) {
            item["partition"] = action.partition;
        } else {
            item["rows"] = action.rows;
        }
        if (with_reason) {
            item["reason"] = action.kept_because;
        }
        list.push_back(std::move(item));
    }
    return list;
}

} // namespace

MaintainSummary run_maintain(const db::OpenOptions& open, const config::Config& config,
                             const MaintainOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    MaintainSummary summary;
    summary.dry_run = options.dry_run;
    auto session = db::open_session(open); // checks the schema (78 when out of date)
    take_lock(session, options.wait);

    step(summary, "ensure-partitions", [&] {
        summary.partitions =
            storage::ensure_partitions(session, config, options.now_us, options.dry_run);
    });
    if (options.process_buffer) {
        step(summary, "process", [&] {
            jobs::ProcessOptions process;
            process.batch_size = options.batch_size;
            process.dry_run = options.dry_run;
            process.now_us = options.now_us;
            process.today_hours = false; // the rollup step below does it
            summary.process = jobs::process_buffer(open, config, process);
        });
    }
    // A dry run rolls up and applies retention for real in one transaction
    // that is rolled back: it states exactly what the real run would do.
    std::optional<db::DryRun> simulation;
    if (options.dry_run) {
        simulation.emplace(session);
    }
    step(summary, "rollup", [&] {
        storage::RollupOptions rollup;
        rollup.dry_run = options.dry_run;
        rollup.now_us = options.now_us;
        summary.rollup = storage::rollup(session, config, rollup);
        if (summary.rollup.failed()) {
            throw StepFailed("a rollup day failed");
        }
    });
    step(summary, "retention", [&] {
        summary.retention =
            storage::apply_retention(session, config, options.now_us, options.dry_run);
        if (!summary.retention.errors.empty()) {
            throw StepFailed(summary.retention.errors.front());
        }
    });
    summary.seconds = seconds_since(start);
    return summary;
}

bool MaintainSummary::failed() const {
    return std::any_of(steps.begin(), steps.end(), [](const auto& s) { return !s.error.empty(); });
}

std::string MaintainSummary::to_text() const {
    std::ostringstream out;
    char head[96];
    std::snprintf(head, sizeof head, "maintain%s: %s, %.2f s\n", dry_run ? " (dry run)" : "",
                  failed() ? "FAILED" : "ok", seconds);
    out << head;
    for (const auto& s : steps) {
        if (!s.error.empty()) {
            out << "  " << s.name << " FAILED: " << s.error << "\n";
        }
    }
    std::string ensure = partitions.to_text();
    std::string line;
    for (std::istringstream lines(ensure); std::getline(lines, line);) {
        out << "  " << line << "\n";
    }
    if (process) {
        for (std::istringstream lines(process->to_text()); std::getline(lines, line);) {
            out << "  " << line << "\n";
        }
    }
    for (std::istringstream lines(rollup.to_text()); std::getline(lines, line);) {
        out << "  " << line << "\n";
    }
    const char* drop = dry_run ? "would drop " : "dropped ";
    for (const auto& a : retention.dropped) {
        out << "  retention: " << drop << a.partition << "\n";
    }
    for (const auto& a : retention.kept) {
        out << "  retention: kept " << a.partition << " (" << a.kept_because << ")\n";
    }
    for (const auto& a : retention.pruned) {
        out << "  retention: " << (dry_run ? "would prune " : "pruned ") << a.rows << " rows of "
            << a.table << "\n";
    }
    out << "  retention: " << retention.dropped.size()
        << (dry_run ? " partitions to drop, " : " partitions dropped, ") << retention.kept.size()
        << " expired ones kept\n";
    return out.str();
}

std::string MaintainSummary::to_json() const {
    Json json;
    json["ok"] = !failed();
    json["dry_run"] = dry_run;
    json["steps"] = Json::array();
    for (const auto& s : steps) {
        json["steps"].push_back(
            {{"step", s.name}, {"error", text_or_null(s.error)}, {"seconds", s.seconds}});
    }
    json["partitions"] = partitions.json_document();
    json["process"] = process ? process->json_document() : Json(nullptr);
    json["rollup"] = rollup.json_document();
    json["retention"] = {{"dry_run", retention.dry_run},
                         {"dropped", actions_json(retention.dropped, false)},
                         {"kept", actions_json(retention.kept, true)},
                         {"pruned", actions_json(retention.pruned, false)}};
    json["seconds"] = seconds;
    return dump_json(json);
}

} // namespace analytics::maintain
