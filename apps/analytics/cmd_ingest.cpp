#include "cmd_ingest.hpp"

#include "cli_support.hpp"
#include "progress_bar.hpp"

#include <analytics/db/session.hpp>
#include <analytics/ingest/pipeline.hpp>
#include <analytics/input/inputs.hpp>
#include <analytics/load/database_sink.hpp>
#include <analytics/load/visitor_salts.hpp>
#include <analytics/record/access_record.hpp>
#include <analytics/util/errors.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sched.h>
#include <thread>

namespace analytics::app {

namespace {

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) {
    stop_requested.store(true);
}

// SIGTERM (systemctl stop) and SIGINT end --follow after a commit; without
// SA_RESTART, a pause in progress ends at once.
void stop_on_signals() {
    struct sigaction action {};

    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

// The cores this process may run on (taskset, cgroup cpusets), the default
// of --jobs.
unsigned usable_cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) {
        return static_cast<unsigned>(CPU_COUNT(&set));
    }
    return std::max(1u, std::thread::hardware_concurrency());
}

} // namespace

void IngestCommand::add_options(CLI::App& app) {
    app.add_option("inputs", m_inputs, "Log files, globs, or - for stdin (.gz read transparently)")
        ->type_name("FILE|GLOB|-");
    add_choice_option(app, "-f,--format", m_format, input_formats(),
                      "Input format (default: auto, detected from the first lines)");
    app.add_option("-o,--output", m_output,
                   "Write the records as JSON lines to FILE (- for stdout) instead of loading "
                   "them: no database needed")
        ->type_name("FILE|-");
    app.add_option("--rejects", m_rejects, "Write rejected lines, with their reason, to FILE")
        ->type_name("FILE");
    app.add_option("--max-reject-ratio", m_max_reject_ratio,
                   "Exit 65 when more than this share of lines is rejected (default 0.01, "
                   "config ingest.max_reject_ratio)")
        ->check(CLI::Range(0.0, 1.0))
        ->type_name("RATIO");
    app.add_option("-e,--extra", m_extra,
                   "Set a field on every record, e.g. server_address=geo.example.org "
                   "(repeatable; values may contain '=')")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false); // one value each: "-e k=v FILE" leaves FILE an input
    app.add_option("--source-name", m_source_name,
                   "Registry name for stdin, so that re-runs skip what was loaded")
        ->type_name("NAME");
    add_batch_size_option(app);
    app.add_option("--jobs", m_jobs,
                   "Parse and enrich on N threads (default: the number of cores; 1: on the "
                   "reading thread alone); the output and what is committed stay in line order")
        ->check(CLI::Range(1, 256))
        ->type_name("N");
    add_choice_option(app, "--progress", m_progress, {"auto", "always", "never"},
                      "Progress bar on stderr (auto: when stderr is a terminal)");
    add_dry_run_option(app, "Parse and report; write nothing");
    app.add_flag("--follow", m_follow,
                 "Keep reading the files as they grow, through rotation, and new files matching "
                 "the globs, until SIGTERM or SIGINT (a service); needs the database");
    app.add_option("--commit-interval", m_commit_interval,
                   "Commit at least every SECONDS while reading a growing file or a pipe "
                   "(default 5)")
        ->check(CLI::Range(0.1, 86400.0))
        ->type_name("SECONDS");
    app.add_flag("--force", m_force,
                 "Re-read inputs the registry marks as loaded (rows are still de-duplicated)");
    app.footer("Example: analytics ingest --format combined /var/log/nginx/access.log*");
}

void IngestCommand::validate() {
    m_extra_pairs.clear();
    for (const auto& extra : m_extra) {
        const auto eq = extra.find('=');
        if (eq == std::string::npos || eq == 0) {
            throw UsageError("--extra expects KEY=VALUE, got \"" + extra + "\"");
        }
        std::string key = extra.substr(0, eq);
        record::AccessRecord probe;
        if (key != "app_path" && key != "app_id" && !record::set_column(probe, key, "x")) {
            throw UsageError("--extra: '" + key + "' is not a field that can be set");
        }
        m_extra_pairs.emplace_back(std::move(key), extra.substr(eq + 1));
    }
    if (!m_output.empty() && dry_run()) {
        throw UsageError("--output and --dry-run exclude each other");
    }
    if (m_follow) {
        if (!m_output.empty() || dry_run()) {
            throw UsageError(std::string("--follow and ") + (dry_run() ? "--dry-run" : "--output") +
                             " exclude each other: following loads into the database, whose "
                             "registry makes restarts exactly once");
        }
        if (m_inputs.empty() ||
            std::find(m_inputs.begin(), m_inputs.end(), "-") != m_inputs.end()) {
            throw UsageError("--follow needs files or globs (stdin is read as it comes without "
                             "--follow)");
        }
    }
    if (!m_source_name.empty() &&
        std::find(m_inputs.begin(), m_inputs.end(), "-") == m_inputs.end()) {
        throw UsageError("--source-name names stdin: give - as an input");
    }
}

int IngestCommand::run(Context& context) {
    ingest::IngestOptions options;
    if (!m_follow) {
        options.inputs = input::resolve_inputs(m_inputs);
    }
    options.format = m_format;
    options.rejects_path = m_rejects;
    options.extras = m_extra_pairs;
    options.force = m_force;
    options.source_name = m_source_name;
    options.now_us = context.now_us;
    options.commit_interval_ms = static_cast<int>(m_commit_interval * 1000);
    options.jobs = m_jobs > 0 ? m_jobs : usable_cores();
    ProgressBar progress(context.global.quiet || m_follow ? "never" : m_progress);
    if (progress.enabled()) {
        options.progress = [&progress](const ingest::Progress& p) { progress.update(p); };
    }

    // The session outlives the sink that loads through it.
    std::optional<db::Session> session;
    std::unique_ptr<ingest::RecordSink> sink;
    std::optional<ingest::RunSummary> followed;
    if (m_follow) {
        options.follow = m_inputs;
        options.stop = &stop_requested;
        stop_on_signals();
        followed = ingest::follow_ingest(context.config, options, [&] {
            session.reset();
            const db::OpenOptions open{&context.config, context.global.db, name()};
            session = db::open_session(open);
            return load::make_database_sink(*session, open, context.config,
                                            batch_size(context.config), context.now_us);
        });
    } else if (dry_run()) {
        sink = std::make_unique<ingest::NullSink>();
    } else if (!m_output.empty()) {
        sink = std::make_unique<ingest::JsonLinesSink>(m_output);
    } else {
        const db::OpenOptions open{&context.config, context.global.db, name()};
        session = db::open_session(open);
        options.visitor_salts = load::database_salts(open);
        sink = load::make_database_sink(*session, open, context.config, batch_size(context.config),
                                        context.now_us);
    }
    const ingest::RunSummary summary =
        followed ? *followed : ingest::run_ingest(context.config, options, *sink);
    sink.reset();

    // On stdout, unless stdout carries the records.
    const double max_ratio =
        m_max_reject_ratio >= 0 ? m_max_reject_ratio : context.config.ingest.max_reject_ratio;
    const bool too_many_rejects = summary.reject_ratio() > max_ratio;
    write_summary(context, m_output == "-" ? std::cerr : context.out, summary, too_many_rejects);

    context.metrics.gauge("analytics_ingest_lines", "Input lines read.",
                          static_cast<double>(summary.lines));
    context.metrics.gauge("analytics_ingest_records", "Records written.",
                          static_cast<double>(summary.records));
    context.metrics.gauge("analytics_ingest_rejected", "Input lines or rows rejected.",
                          static_cast<double>(summary.rejected));
    context.metrics.gauge("analytics_ingest_set_aside",
                          "Rows of months already rolled up and dropped, not stored.",
                          static_cast<double>(summary.set_aside));
    if (summary.loaded) {
        context.metrics.gauge("analytics_ingest_stored", "Rows inserted into the database.",
                              static_cast<double>(summary.stored));
        context.metrics.gauge("analytics_ingest_duplicates",
                              "Rows already in the database, skipped.",
                              static_cast<double>(summary.duplicates));
        context.metrics.gauge("analytics_ingest_partitions_created",
                              "Monthly partitions created on the fly.",
                              static_cast<double>(summary.partitions_created));
    }

    if (too_many_rejects && !m_follow) { // a service stopping is no failure
        char ratio[64];
        std::snprintf(ratio, sizeof ratio, "%.2f%% of the input was rejected (limit %.2f%%)",
                      summary.reject_ratio() * 100.0, max_ratio * 100.0);
        throw DataError(std::string(ratio) + (m_rejects.empty()
                                                  ? "; see --rejects FILE for the lines and reasons"
                                                  : "; the lines and reasons are in " + m_rejects));
    }
    return 0;
}

} // namespace analytics::app
