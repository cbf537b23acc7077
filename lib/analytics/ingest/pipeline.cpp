#include <analytics/enrich/rejected_text.hpp>
#include <analytics/ingest/formats.hpp>
#include <analytics/ingest/pipeline.hpp>
#include <analytics/ingest/record_builder.hpp>
#include <analytics/ingest/record_id.hpp>
#include <analytics/ingest/rejects_file.hpp>
#include <analytics/ingest/time_window.hpp>
#include <analytics/input/fingerprint.hpp>
#include <analytics/input/line_reader.hpp>
#include <analytics/parse/access_parser.hpp>
#include <analytics/parse/events.hpp>
#include <analytics/time/local_zone.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/log.hpp>
#include <analytics/util/text.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>

namespace analytics::ingest {

namespace {

constexpr std::size_t detection_lines = 10;

class Pipeline {
  public:
    Pipeline(const config::Config& config, const IngestOptions& options, RecordSink& sink)
        : m_config(config), m_options(options), m_sink(sink), m_zone(config.timezone),
          m_window(config, options.now_us), m_rejects(options.rejects_path),
          m_rejected_text(config) {
        if (options.format != "auto" && !format_from_name(options.format)) {
            throw UsageError("unknown input format '" + options.format + "'");
        }
    }

    RunSummary run() {
        const auto start = std::chrono::steady_clock::now();
        for (const auto& path : m_options.inputs) {
            process_input(path);
        }
        m_sink.finish();
        m_rejects.close();
        m_sink.add_totals(m_summary);
        if (m_options.progress) {
            Progress done;
            done.done = true;
            done.lines = m_summary.lines;
            m_options.progress(done);
        }
        m_summary.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return m_summary;
    }

  private:
    // A line as read, before the format is known.
    struct PendingLine {
        std::uint64_t number;
        bool too_long;
        std::string text;
    };

    void process_input(const std::string& path) {
        m_report = InputReport{};
        m_report.path = path;
        m_last_rejected_line = 0;
        m_batched = m_sink.tracks_positions();
        m_tracked = m_batched && (path != "-" || !m_options.source_name.empty());
        InputIdentity identity;
        InputHistory history;
        if (m_batched && !m_tracked) { // stdin without a name: loaded, not remembered
            identity.display = input_label(path);
            m_sink.open_input(identity);
        }
        if (m_tracked) {
            identity = identify(path);
            if (identity.id.empty()) { // no line at all yet
                m_report.status = "empty";
                ++m_summary.warnings["empty input"];
                m_summary.inputs.push_back(m_report);
                return;
            }
            history = m_sink.open_input(identity);
            if (m_options.force) {
                history = InputHistory{};
            }
            if (history.file_complete) {
                m_report.status = "unchanged";
                m_summary.inputs.push_back(m_report);
                return;
            }
        }
        if (!read_input(path, history.loaded)) {
            if (path == "-") {
                throw DataError("stdin does not begin with what was loaded as '" +
                                m_options.source_name + "' (" + m_failed_replay +
                                "): use another --source-name, or --force to load it all again");
            }
            log::warn(input_label(path) + ": " + m_failed_replay +
                      " since the last run: reading it again from the start");
            read_input(path, std::nullopt);
            m_report.status = "changed: read again from the start";
        }
        m_report.format = m_format ? format_name(*m_format) : "";
        m_summary.lines += m_report.lines;
        m_summary.bytes += m_report.bytes;
        m_summary.inputs.push_back(m_report);
    }

    InputIdentity identify(const std::string& path) {
        InputIdentity identity;
        m_raw_size = 0;
        m_recently_modified = false; // a stream's last line is complete when it ends
        if (path == "-") {
            identity.id = "name:" + m_options.source_name;
            identity.display = m_options.source_name;
        } else {
            const auto facts = input::file_facts(path);
            identity.id = input::content_identity(path);
            identity.display = path;
            identity.signature = facts.signature;
            identity.compressed = facts.compressed;
            m_raw_size = facts.raw_size;
            m_recently_modified =
                !facts.compressed && facts.modified_s + hold_back_seconds > std::time(nullptr);
        }
        // Two servers' logs may begin with the same line (a health check):
        // with their --extra fields they are two inputs. Version 0.1 left the
        // fields out; its entry still tells how far such an input was loaded.
        if (m_source != 0 && !identity.id.empty()) {
            identity.legacy_id = identity.id;
            std::string hex;
            format_record_id(hex, m_source, 0);
            identity.id += "/extras:" + hex;
        }
        return identity;
    }

    // Reads one input, skipping (but replaying) what `resume` says was
    // loaded. Returns false, with m_failed_replay set, when the input does not
    // begin with what was loaded.
    bool read_input(const std::string& path, const std::optional<InputPosition>& resume) {
        input::LineReader reader(path);
        if (m_builder) {
            m_builder->start_input();
        }
        m_format.reset();
        m_failed_replay.clear();
        if (m_options.format != "auto") {
            use_format(*format_from_name(m_options.format), false);
        }
        m_replay_until = resume ? resume->lines : 0;
        m_report.status = !m_tracked ? ""
                          : resume   ? "resumed after line " + std::to_string(resume->lines)
                                     : "new";
        InputPosition position;           // of the last line handed over
        std::vector<PendingLine> pending; // lines read before detection
        std::size_t pending_non_blank = 0;
        bool held_back = false;
        std::string_view line;
        while (reader.next(line)) {
            if (m_tracked && reader.unterminated() &&
                (m_recently_modified || !reader.error().empty())) {
                // Maybe half-written: leave it for the next run.
                held_back = true;
                break;
            }
            const std::uint64_t number = reader.line_number();
            if (m_batched) {
                position = {number, reader.offset(),
                            m_tracked ? combine_hash(position.chain, hash64(line)) : 0};
                if (resume && number == resume->lines &&
                    (position.bytes != resume->bytes || position.chain != resume->chain)) {
                    m_failed_replay = "its first " + std::to_string(number) + " lines changed";
                    return false;
                }
            }
            if ((number & 0xffff) == 0) {
                report_progress(reader);
            }
            if (!m_format) {
                pending.push_back({number, reader.line_too_long(), std::string(line)});
                pending_non_blank += trim(line).empty() ? 0 : 1;
                if (pending_non_blank >= detection_lines) {
                    detect(pending);
                    drain(pending);
                }
            } else {
                handle_line(line, number, reader.line_too_long());
            }
            if (m_batched && number > m_replay_until && m_sink.batch_full() && pending.empty()) {
                m_sink.checkpoint(position, format_name(*m_format), false);
            }
        }
        if (resume && position.lines < resume->lines) {
            m_failed_replay = "it is shorter than the " + std::to_string(resume->lines) +
                              " lines loaded before (truncated or replaced)";
            return false;
        }
        if (!m_format && !pending.empty()) {
            detect(pending);
            drain(pending);
        }
        if (!reader.error().empty()) {
            reject(reader.line_number() + 1, reader.error(), {});
            log::warn(input_label(path) + ": " + reader.error());
        }
        if (reader.line_number() == 0) {
            ++m_summary.warnings["empty input"];
        }
        if (held_back) {
            ++m_summary.warnings["unterminated last line left for the next run"];
        }
        if (m_batched && m_format) {
            m_sink.checkpoint(position, format_name(*m_format),
                              !held_back && reader.error().empty());
        }
        m_summary.skipped_lines += std::min<std::uint64_t>(m_replay_until, position.lines);
        m_report.lines = reader.line_number() - (held_back ? 1 : 0);
        m_report.bytes = m_batched ? position.bytes : reader.offset();
        report_progress(reader);
        return true;
    }

    void report_progress(const input::LineReader& reader) {
        if (!m_options.progress) {
            return;
        }
        Progress progress;
        progress.input = input_label(m_report.path);
        progress.raw_bytes_read = reader.raw_offset();
        progress.raw_bytes_total = m_report.path == "-" ? 0 : m_raw_size;
        progress.lines = m_summary.lines + reader.line_number();
        m_options.progress(progress);
    }

    void drain(std::vector<PendingLine>& pending) {
        for (const auto& entry : pending) {
            handle_line(entry.text, entry.number, entry.too_long);
        }
        pending.clear();
    }

    void detect(const std::vector<PendingLine>& pending) {
        std::vector<std::string> sample;
        for (const auto& entry : pending) {
            if (!entry.too_long) {
                sample.push_back(entry.text);
            }
        }
        std::string why;
        const auto format = detect_format(sample, m_config, why);
        if (!format) {
            throw DataError(input_label(m_report.path) +
                            ": cannot detect the input format from its first lines: " + why +
                            "; name it with --format");
        }
        use_format(*format, true);
    }

    void use_format(Format format, bool detected) {
        m_format = format;
        if (detected) {
            log::info(input_label(m_report.path) + ": format " + format_name(format) +
                      " (detected)");
        }
        const auto known = m_parsers.find(format);
        if (known != m_parsers.end()) {
            m_parser = known->second.get();
            return;
        }
        std::unique_ptr<parse::AccessParser> parser;
        switch (format) {
        case Format::otel:
            parser = parse::make_otel_parser(m_zone);
            break;
        case Format::otlp:
            parser = parse::make_otlp_parser();
            break;
        case Format::combined:
            parser = parse::make_clf_parser(parse::TextVariant::combined, m_config);
            break;
        case Format::common:
            parser = parse::make_clf_parser(parse::TextVariant::common, m_config);
            break;
        case Format::georchestra:
            parser = parse::make_clf_parser(parse::TextVariant::georchestra, m_config);
            break;
        case Format::regex:
            parser =
                parse::make_regex_parser(m_config.parsers.text_message.regex, m_config, m_zone);
            break;
        case Format::api_json:
            parser = parse::make_api_json_parser(m_utc);
            break;
        case Format::events:
            if (!m_events) {
                m_events = std::make_unique<parse::EventsParser>(m_utc);
            }
            m_parser = nullptr;
            return;
        }
        if (!m_builder) {
            m_builder = std::make_unique<RecordBuilder>(m_config, m_options.extras);
            if (m_options.visitor_salts) {
                m_builder->set_visitor_salts(m_zone, m_options.visitor_salts);
            }
        }
        m_parser = parser.get();
        m_parsers.emplace(format, std::move(parser));
    }

    void reject(std::uint64_t line_number, const std::string& reason, std::string_view text) {
        m_summary.count_reject(reason, line_number != m_last_rejected_line || line_number == 0);
        m_last_rejected_line = line_number;
        ++m_report.rejected;
        const std::string kept = m_rejected_text(text);
        m_rejects.write(m_report.path, line_number, reason, kept);
        m_sink.reject(line_number, reason, kept);
    }

    // A row set aside: its month was rolled up and dropped (the sink says so).
    void set_aside(const char* table, std::uint64_t line_number, const std::string& reason,
                   std::string_view text) {
        ++m_summary.set_aside;
        ++m_summary.set_aside_by_table[table];
        const std::string kept = m_rejected_text(text);
        m_rejects.write(m_report.path, line_number, reason, kept);
        m_sink.reject(line_number, reason, kept);
    }

    // Whether a parsed row of `table` at `ts_us` goes to the sink; if not,
    // it is rejected (outside the accepted window) or set aside.
    bool admit(const char* table, std::int64_t ts_us, std::uint64_t line_number,
               std::string_view line) {
        std::string why = m_window.refuse(ts_us);
        if (!why.empty()) {
            reject(line_number, why, line);
            return false;
        }
        why = m_sink.set_aside(table, ts_us);
        if (!why.empty()) {
            set_aside(table, line_number, why, line);
            return false;
        }
        return true;
    }

    void handle_line(std::string_view line, std::uint64_t number, bool too_long) {
        if (number <= m_replay_until) {
            replay_line(line, too_long);
        } else {
            process_line(line, number, too_long);
        }
    }

    // A line loaded by an earlier run: only its ids matter, so that identical
    // lines after it are numbered as in that run.
    void replay_line(std::string_view line, bool too_long) {
        if (too_long || trim(line).empty() ||
            std::memchr(line.data(), '\0', line.size()) != nullptr || *m_format == Format::events) {
            return;
        }
        if (!is_valid_utf8(line)) {
            repair_utf8(line, m_repaired);
            line = m_repaired;
        }
        if (m_parser->parse(line, m_batch, m_reason)) {
            m_builder->number(m_batch, line, m_source);
        }
    }

    void process_line(std::string_view line, std::uint64_t number, bool too_long) {
        if (trim(line).empty()) {
            ++m_summary.blank_lines;
            return;
        }
        if (too_long) {
            reject(number, "line longer than 16 MiB", line);
            return;
        }
        if (std::memchr(line.data(), '\0', line.size()) != nullptr) {
            reject(number, "NUL byte in line (binary data?)", line);
            return;
        }
        if (!is_valid_utf8(line)) {
            repair_utf8(line, m_repaired);
            line = m_repaired;
            ++m_summary.warnings["invalid UTF-8 replaced by U+FFFD"];
        }
        if (*m_format == Format::events) {
            process_beacon(line, number);
            return;
        }
        if (!m_parser->parse(line, m_batch, m_reason)) {
            reject(number, m_reason, line);
            return;
        }
        for (const auto& reason : m_batch.rejects()) {
            reject(number, reason, line);
        }
        m_builder->build(
            m_batch, line, m_source,
            [&](const record::AccessRecord& record) {
                return admit("access_logs", record.ts_us, number, line);
            },
            [&](const record::AccessRecord& record) {
                m_sink.access(record);
                ++m_summary.records;
                ++m_report.records;
            });
        m_builder->move_warnings(m_summary);
    }

    void process_beacon(std::string_view line, std::uint64_t number) {
        if (!m_events->parse(line, m_beacon, m_reason)) {
            reject(number, m_reason, line);
            return;
        }
        for (const auto& row_reject : m_beacon.rejects) {
            reject(number, row_reject.reason, line); // "impressions[0]: invalid rank …"
        }
        for (const auto& warning : m_beacon.warnings) {
            ++m_summary.warnings[warning_category(warning)];
        }
        std::uint64_t rows = 0;
        for (const auto& row : m_beacon.searches) {
            if (admit("searches", row.occurred_at_us, number, line)) {
                m_sink.search(row);
                ++m_summary.searches;
                ++rows;
            }
        }
        for (const auto& row : m_beacon.impressions) {
            if (admit("search_impressions", row.occurred_at_us, number, line)) {
                m_sink.impression(row);
                ++m_summary.impressions;
                ++rows;
            }
        }
        for (const auto& row : m_beacon.events) {
            if (admit("events", row.occurred_at_us, number, line)) {
                m_sink.event(row);
                ++m_summary.events;
                ++rows;
            }
        }
        m_summary.records += rows;
        m_report.records += rows;
    }

    const config::Config& m_config;
    const IngestOptions& m_options;
    // The --extra fields, in every id and input identity (0: none).
    const std::uint64_t m_source = source_hash(m_options.extras);
    RecordSink& m_sink;
    time::LocalZone m_zone;
    // The BTAA writers (api-json, events) stamp naive times with utcnow().
    time::LocalZone m_utc{"UTC"};
    TimeWindow m_window;
    RejectsFile m_rejects;
    enrich::RejectedText m_rejected_text;
    std::uint64_t m_last_rejected_line = 0; // of this input: rejected lines counted once
    RunSummary m_summary;
    InputReport m_report;
    std::optional<Format> m_format;
    std::map<Format, std::unique_ptr<parse::AccessParser>> m_parsers;
    parse::AccessParser* m_parser = nullptr;
    std::unique_ptr<parse::EventsParser> m_events;
    // Made with the first access-log format (beacons need no user agents).
    std::unique_ptr<RecordBuilder> m_builder;
    parse::ParsedBatch m_batch;
    parse::BeaconBatch m_beacon;
    std::string m_reason;
    std::string m_repaired;
    // Position tracking (database loads).
    static constexpr std::int64_t hold_back_seconds = 60;
    bool m_batched = false; // the sink takes batches, ended by checkpoint()
    bool m_tracked = false; // and remembers this input's position
    bool m_recently_modified = false;
    std::uint64_t m_raw_size = 0;
    std::uint64_t m_replay_until = 0; // lines loaded by an earlier run
    std::string m_failed_replay;
};

} // namespace

RunSummary run_ingest(const config::Config& config, const IngestOptions& options,
                      RecordSink& sink) {
    Pipeline pipeline(config, options, sink);
    return pipeline.run();
}

} // namespace analytics::ingest
