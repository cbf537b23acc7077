#include <analytics/enrich/rejected_text.hpp>
#include <analytics/ingest/formats.hpp>
#include <analytics/ingest/line_pool.hpp>
#include <analytics/ingest/line_task.hpp>
#include <analytics/ingest/pipeline.hpp>
#include <analytics/ingest/record_builder.hpp>
#include <analytics/ingest/record_id.hpp>
#include <analytics/ingest/rejects_file.hpp>
#include <analytics/ingest/time_window.hpp>
#include <analytics/input/file_watch.hpp>
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
#include <set>
#include <thread>

namespace analytics::ingest {

namespace {

constexpr std::size_t detection_lines = 10;

class Pipeline {
  public:
    Pipeline(const config::Config& config, const IngestOptions& options, RecordSink& sink)
        : m_config(config), m_options(options), m_sink(sink), m_window(config, options.now_us),
          m_rejects(options.rejects_path), m_rejected_text(config) {
        if (options.format != "auto" && !format_from_name(options.format)) {
            throw UsageError("unknown input format '" + options.format + "'");
        }
        const unsigned jobs = std::max(1u, options.jobs);
        m_settings.config = &config;
        m_settings.extras = options.extras;
        m_settings.source = m_source;
        m_settings.salts =
            jobs > 1 ? serialized_salts(options.visitor_salts) : options.visitor_salts;
        m_settings.encoder = jobs > 1 && sink.encodes_access() ? &sink : nullptr;
        for (unsigned i = 0; i < jobs; ++i) {
            m_workers.push_back(std::make_unique<LineWorker>(m_settings));
        }
        if (jobs > 1) {
            m_pool = std::make_unique<LinePool>(m_workers);
        }
    }

    RunSummary run() {
        const auto start = std::chrono::steady_clock::now();
        for (const auto& path : m_options.inputs) {
            process_input(path);
            if (stopping()) {
                break;
            }
        }
        return finish(start);
    }

    RunSummary follow(); // below the class

  private:
    using Clock = std::chrono::steady_clock;

    RunSummary finish(Clock::time_point start) {
        m_sink.finish();
        m_rejects.close();
        m_sink.add_totals(m_summary);
        if (m_options.progress) {
            Progress done;
            done.done = true;
            done.lines = m_summary.lines;
            m_options.progress(done);
        }
        m_summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return m_summary;
    }

    // Asked to stop; while the followed files are drained after a stop,
    // only once that has taken too long.
    bool stopping() const {
        if (m_draining) {
            return Clock::now() > m_drain_until;
        }
        return m_options.stop != nullptr && m_options.stop->load(std::memory_order_relaxed);
    }

    bool commit_due() const {
        return m_options.commit_interval_ms > 0 &&
               Clock::now() - m_last_commit >=
                   std::chrono::milliseconds(m_options.commit_interval_ms);
    }

    // A line as read, before the format is known.
    struct PendingLine {
        std::uint64_t number;
        bool too_long;
        std::string text;
        InputPosition position; // once it is handed over
    };

    // One input being read: what the pipeline keeps of it between lines,
    // and between turns when several inputs are followed at once.
    struct Reading {
        std::unique_ptr<input::LineReader> reader;
        InputIdentity identity;
        InputReport report;
        std::optional<InputPosition> resume;
        InputPosition position;            // of the last line handed over
        std::uint64_t committed_lines = 0; // position.lines at the last checkpoint
        std::vector<PendingLine> pending;  // lines read before detection
        std::size_t pending_non_blank = 0;
        bool held_back = false;
        bool live = false; // read with LineReader::Mode::live
        std::optional<Format> format;
        std::uint64_t replay_until = 0;       // lines loaded by an earlier run
        std::uint64_t last_rejected_line = 0; // rejected lines counted once
        bool batched = false;                 // the sink takes batches, ended by checkpoint()
        bool tracked = false;                 // and remembers this input's position
        bool recently_modified = false;
        std::uint64_t raw_size = 0;
        OccurrenceCounter occurrences = OccurrenceCounter(); // while another input is read
    };

    // How a turn of reading ended.
    enum class Turn { end, idle, stopped, replay_failed };

    void process_input(const std::string& path) {
        if (!open_reading(path, input::LineReader::is_stream(path))) {
            return;
        }
        read_to_end();
        if (!close_reading(true)) {
            if (path == "-") {
                throw DataError("stdin does not begin with what was loaded as '" +
                                m_options.source_name + "' (" + m_failed_replay +
                                "): use another --source-name, or --force to load it all again");
            }
            log::warn(input_label(path) + ": " + m_failed_replay +
                      " since the last run: reading it again from the start");
            start_reading(path, std::nullopt);
            m_in.report.status = "changed: read again from the start";
            read_to_end();
            close_reading(true);
        }
    }

    // Starts reading `path` (live: as it grows). False when there is nothing
    // to read (no line yet, or loaded to its end), reported as such.
    bool open_reading(const std::string& path, bool live) {
        m_in = Reading{};
        m_in.report.path = path;
        m_in.live = live;
        m_in.batched = m_sink.tracks_positions();
        m_in.tracked = m_in.batched && (path != "-" || !m_options.source_name.empty());
        InputHistory history;
        if (m_in.batched && !m_in.tracked) { // stdin without a name: loaded, not remembered
            m_in.identity.display = input_label(path);
            m_sink.open_input(m_in.identity);
        }
        if (m_in.tracked) {
            m_in.identity = identify(path);
            if (m_in.identity.id.empty()) { // no line at all yet
                m_in.report.status = "empty";
                ++m_summary.warnings["empty input"];
                m_summary.inputs.push_back(m_in.report);
                return false;
            }
            history = m_sink.open_input(m_in.identity);
            if (m_options.force) {
                history = InputHistory{};
            }
            // A followed file loaded to its end may grow again.
            if (history.file_complete && !(live && path != "-")) {
                m_in.report.status = "unchanged";
                m_summary.inputs.push_back(m_in.report);
                return false;
            }
        }
        start_reading(path, history.loaded);
        return true;
    }

    // The id an input is known by (input/fingerprint.hpp), with the --extra fields.
    std::string with_source(std::string id) const {
        // Two servers' logs may begin with the same line (a health check):
        // with their --extra fields they are two inputs.
        if (m_source != 0 && !id.empty()) {
            std::string hex;
            format_record_id(hex, m_source, 0);
            id += "/extras:" + hex;
        }
        return id;
    }

    // The id of what `path` holds now; empty when it cannot be read (gone
    // since it was listed) or has no complete line.
    std::string first_line_id(const std::string& path) const {
        try {
            return with_source(input::content_identity(path, true));
        } catch (const InputError&) {
            return {};
        }
    }

    InputIdentity identify(const std::string& path) {
        InputIdentity identity;
        m_in.raw_size = 0;
        m_in.recently_modified = false; // a stream's last line is complete when it ends
        if (path == "-") {
            identity.id = "name:" + m_options.source_name;
            identity.display = m_options.source_name;
        } else {
            const auto facts = input::file_facts(path);
            identity.id = input::content_identity(path);
            identity.display = path;
            identity.signature = facts.signature;
            identity.compressed = facts.compressed;
            m_in.raw_size = facts.raw_size;
            m_in.recently_modified =
                !facts.compressed && facts.modified_s + hold_back_seconds > std::time(nullptr);
        }
        // Version 0.1 left the --extra fields out of the id; its entry still
        // tells how far such an input was loaded.
        if (m_source != 0 && !identity.id.empty()) {
            identity.legacy_id = identity.id;
            identity.id = with_source(identity.id);
        }
        return identity;
    }

    // Opens the reader of the current input, skipping (but replaying) what
    // `resume` says was loaded.
    void start_reading(const std::string& path, const std::optional<InputPosition>& resume) {
        m_in.reader = std::make_unique<input::LineReader>(
            path, m_in.live ? input::LineReader::Mode::live : input::LineReader::Mode::whole);
        m_occurrences.clear();
        m_in.format.reset();
        m_failed_replay.clear();
        if (m_options.format != "auto") {
            use_format(*format_from_name(m_options.format), false);
        }
        m_in.resume = resume;
        m_in.replay_until = resume ? resume->lines : 0;
        m_in.report.status = !m_in.tracked ? ""
                             : resume      ? "resumed after line " + std::to_string(resume->lines)
                                           : "new";
        m_in.position = InputPosition{};
        m_in.committed_lines = 0;
        m_in.pending.clear();
        m_in.pending_non_blank = 0;
        m_in.held_back = false;
    }

    // Reads the current input to its end; a live one commits whenever it
    // pauses (and every --commit-interval while it does not).
    Turn read_to_end() {
        for (;;) {
            const Turn turn = read_turn();
            if (turn != Turn::idle) {
                return turn;
            }
            commit_now();
        }
    }

    // Reads lines of the current input until its end, or (live) until none
    // is ready. replay_failed, with m_failed_replay set, when the input does
    // not begin with what was loaded.
    Turn read_turn() {
        const Turn turn = read_lines();
        finish_in_flight();
        return turn;
    }

    Turn read_lines() {
        auto& reader = *m_in.reader;
        std::string_view line;
        for (;;) {
            if (stopping()) {
                return Turn::stopped;
            }
            const auto next = reader.poll(line, poll_ms);
            if (next == input::LineReader::Next::idle) {
                return Turn::idle;
            }
            if (next == input::LineReader::Next::end) {
                return Turn::end;
            }
            if (m_in.tracked && reader.unterminated() &&
                (m_in.recently_modified || !reader.error().empty())) {
                // Maybe half-written: leave it for the next run.
                m_in.held_back = true;
                return Turn::end;
            }
            const std::uint64_t number = reader.line_number();
            auto& position = m_in.position;
            const auto& resume = m_in.resume;
            if (m_in.batched) {
                position = {number, reader.offset(),
                            m_in.tracked ? combine_hash(position.chain, hash64(line)) : 0};
                if (resume && number == resume->lines &&
                    (position.bytes != resume->bytes || position.chain != resume->chain)) {
                    m_failed_replay = "its first " + std::to_string(number) + " lines changed";
                    return Turn::replay_failed;
                }
            }
            if ((number & 0xffff) == 0) {
                report_progress(reader);
            }
            if (!m_in.format) {
                m_in.pending.push_back(
                    {number, reader.line_too_long(), std::string(line), m_in.position});
                m_in.pending_non_blank += trim(line).empty() ? 0 : 1;
                if (m_in.pending_non_blank >= detection_lines) {
                    detect(m_in.pending);
                    drain(m_in.pending);
                }
            } else {
                handle_line(line, number, reader.line_too_long(), m_in.position);
            }
            if (m_pool && m_in.live && commit_due() &&
                Clock::now() - m_last_hand_over >=
                    std::chrono::milliseconds(m_options.commit_interval_ms)) {
                // A busy live input commits on the clock: its lines do not
                // wait for a chunk to fill.
                finish_in_flight();
                m_last_hand_over = Clock::now();
            }
        }
    }

    // Following (defined below the class).
    void park();
    void activate(const input::FileKey& key);
    void open_followed(const input::WatchedFile& file);
    void close_followed(const input::FileKey& key, bool keep_done);
    bool sleep_unless_stopped(std::chrono::milliseconds pause) const;

    void checkpoint(bool complete) { checkpoint(m_in.position, complete); }

    void checkpoint(const InputPosition& position, bool complete) {
        m_sink.checkpoint(position, format_name(*m_in.format), complete);
        m_in.committed_lines = position.lines;
        m_last_commit = Clock::now();
    }

    // After each line handed over: a full batch commits with the position
    // of that line, so a position commits only once all before it are written.
    void commit_if_due(const LineTask& task) {
        if (m_in.batched && task.number > m_in.replay_until && m_in.pending.empty() &&
            (m_sink.batch_full() || (m_in.live && commit_due()))) {
            checkpoint(task.position, false);
        }
    }

    // Commits what was read of the current input (--commit-interval, or
    // before another input's turn). The format of a live input that gave
    // fewer lines than detection wants is detected from those it gave.
    void commit_now() {
        m_last_commit = Clock::now();
        if (!m_in.format && m_in.pending_non_blank > 0) {
            detect(m_in.pending);
            drain(m_in.pending);
        }
        if (!m_in.batched) {
            m_sink.flush();
            return;
        }
        if (m_in.format && m_in.pending.empty() && m_in.position.lines > m_in.committed_lines &&
            m_in.position.lines > m_in.replay_until) {
            checkpoint(false);
        }
        m_sink.raise_failure(); // of an earlier checkpoint, while this input idles
    }

    // Ends the current input: its last lines, its report. False when it
    // does not begin with what was loaded (m_failed_replay says why).
    // `may_complete`: reading ended at the end of the file, not on a stop.
    bool close_reading(bool may_complete) {
        finish_in_flight();
        const auto& reader = *m_in.reader;
        const auto& resume = m_in.resume;
        if (m_failed_replay.empty() && resume && m_in.position.lines < resume->lines) {
            m_failed_replay = "it is shorter than the " + std::to_string(resume->lines) +
                              " lines loaded before (truncated or replaced)";
        }
        if (!m_failed_replay.empty()) {
            return false;
        }
        if (!m_in.format && !m_in.pending.empty()) {
            detect(m_in.pending);
            drain(m_in.pending);
        }
        if (!reader.error().empty()) {
            reject(reader.line_number() + 1, reader.error(), {});
            log::warn(input_label(m_in.report.path) + ": " + reader.error());
        }
        if (reader.line_number() == 0) {
            ++m_summary.warnings["empty input"];
        }
        if (m_in.held_back) {
            ++m_summary.warnings["unterminated last line left for the next run"];
        }
        if (m_in.batched && m_in.format) {
            checkpoint(may_complete && !stopping() && !m_in.held_back && reader.error().empty());
        }
        m_summary.skipped_lines += std::min<std::uint64_t>(m_in.replay_until, m_in.position.lines);
        m_in.report.lines = reader.line_number() - (m_in.held_back ? 1 : 0);
        m_in.report.bytes = m_in.batched ? m_in.position.bytes : reader.offset();
        report_progress(reader);
        m_in.report.format = m_in.format ? format_name(*m_in.format) : "";
        m_summary.lines += m_in.report.lines;
        m_summary.bytes += m_in.report.bytes;
        m_summary.inputs.push_back(m_in.report);
        return true;
    }

    void report_progress(const input::LineReader& reader) {
        if (!m_options.progress) {
            return;
        }
        Progress progress;
        progress.input = input_label(m_in.report.path);
        progress.raw_bytes_read = reader.raw_offset();
        progress.raw_bytes_total = m_in.report.path == "-" ? 0 : m_in.raw_size;
        progress.lines = m_summary.lines + reader.line_number();
        m_options.progress(progress);
    }

    void drain(std::vector<PendingLine>& pending) {
        for (const auto& entry : pending) {
            handle_line(entry.text, entry.number, entry.too_long, entry.position);
        }
        pending.clear();
        finish_in_flight();
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
            throw DataError(input_label(m_in.report.path) +
                            ": cannot detect the input format from its first lines: " + why +
                            "; name it with --format");
        }
        use_format(*format, true);
    }

    void use_format(Format format, bool detected) {
        m_in.format = format;
        if (detected) {
            log::info(input_label(m_in.report.path) + ": format " + format_name(format) +
                      " (detected)");
        }
        // The first worker's parser now: a bad regex, or no uap-core, is an
        // error before any line (the other workers make theirs on first use).
        m_workers.front()->use(format);
    }

    void reject(std::uint64_t line_number, const std::string& reason, std::string_view text) {
        m_summary.count_reject(reason, line_number != m_in.last_rejected_line || line_number == 0);
        m_in.last_rejected_line = line_number;
        ++m_in.report.rejected;
        const std::string kept = m_rejected_text(text);
        m_rejects.write(m_in.report.path, line_number, reason, kept);
        m_sink.reject(line_number, reason, kept);
    }

    // A row set aside: its month was rolled up and dropped (the sink says so).
    void set_aside(const char* table, std::uint64_t line_number, const std::string& reason,
                   std::string_view text) {
        ++m_summary.set_aside;
        ++m_summary.set_aside_by_table[table];
        const std::string kept = m_rejected_text(text);
        m_rejects.write(m_in.report.path, line_number, reason, kept);
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

    // A line of the current input, its format known: prepared and handed
    // over now (--jobs 1), or with its chunk (line_pool.hpp).
    void handle_line(std::string_view line, std::uint64_t number, bool too_long,
                     const InputPosition& position) {
        LineTask* task = &m_task;
        if (m_pool) {
            task = next_task();
            task->text.assign(line.data(), line.size());
            line = task->text;
            m_open->bytes += line.size();
        }
        task->number = number;
        task->too_long = too_long;
        task->replay = number <= m_in.replay_until;
        task->position = position;
        task->line = line;
        if (!m_pool) {
            m_workers.front()->prepare(*task, *m_in.format);
            hand_over(*task);
        } else if (m_open->full()) {
            m_pool->submit(m_open);
            m_open = nullptr;
            take_prepared(false);
        }
    }

    // The next task of the chunk being filled.
    LineTask* next_task() {
        while (m_open == nullptr) {
            m_open = m_pool->free_chunk();
            if (m_open == nullptr) {
                take_prepared(true, 1);
            } else {
                m_open->format = *m_in.format;
            }
        }
        return &m_open->tasks[m_open->size++];
    }

    // Hands over the chunks prepared, oldest first (`wait`: waits for
    // `count` of them).
    void take_prepared(bool wait, std::size_t count = SIZE_MAX) {
        for (std::size_t taken = 0; taken < count; ++taken) {
            LineChunk* chunk = m_pool->oldest(wait);
            if (chunk == nullptr) {
                return;
            }
            if (chunk->error) {
                std::rethrow_exception(chunk->error);
            }
            for (std::size_t i = 0; i < chunk->size; ++i) {
                hand_over(chunk->tasks[i]);
            }
            m_pool->release();
        }
    }

    // Every line read so far handed over (before a commit, or a turn ends).
    void finish_in_flight() {
        if (!m_pool) {
            return;
        }
        if (m_open != nullptr) {
            m_pool->submit(m_open);
            m_open = nullptr;
        }
        take_prepared(true);
    }

    // The second half of a line's way (line_task.hpp), in line order.
    void hand_over(LineTask& task) {
        if (task.replay) {
            if (task.outcome == LineTask::Outcome::access) {
                number_records(task);
            }
            return;
        }
        switch (task.outcome) {
        case LineTask::Outcome::skipped:
            break;
        case LineTask::Outcome::blank:
            ++m_summary.blank_lines;
            break;
        case LineTask::Outcome::too_long:
            reject(task.number, "line longer than 16 MiB", task.line);
            break;
        case LineTask::Outcome::nul:
            reject(task.number, "NUL byte in line (binary data?)", task.line);
            break;
        case LineTask::Outcome::unparsed:
        case LineTask::Outcome::access:
        case LineTask::Outcome::beacon:
            if (task.repaired) {
                ++m_summary.warnings["invalid UTF-8 replaced by U+FFFD"];
            }
            if (task.outcome == LineTask::Outcome::unparsed) {
                reject(task.number, task.reason, task.line);
            } else if (task.outcome == LineTask::Outcome::beacon) {
                hand_over_beacon(task);
            } else {
                hand_over_access(task);
            }
            break;
        }
        commit_if_due(task);
    }

    // Numbers the records with a content id among identical lines
    // (record_id.hpp): the workers gave each the id of a first occurrence.
    void number_records(LineTask& task) {
        for (std::size_t i = 0; i < task.records; ++i) {
            auto& done = task.done[i];
            if (!done.content_id) {
                continue;
            }
            const std::uint32_t occurrence = m_occurrences.next(done.hash, done.ts_us);
            if (occurrence == 0) {
                continue;
            }
            if (m_settings.encoder == nullptr) {
                format_record_id(task.batch[i].record.id, done.hash, occurrence);
            } else if (!task.replay) {
                format_record_id(m_repeat_id, done.hash, occurrence);
                done.encoded.replace(done.id_at, done.id_size, m_repeat_id);
            }
        }
    }

    void hand_over_access(LineTask& task) {
        const std::uint64_t number = task.number;
        for (const auto& reason : task.rejects) {
            reject(number, reason, task.line);
        }
        number_records(task);
        for (std::size_t i = 0; i < task.records; ++i) {
            const auto& done = task.done[i];
            if (!admit("access_logs", done.ts_us, number, task.line)) {
                continue;
            }
            for (const auto& [what, count] : done.warnings.counts) {
                m_summary.warnings[what] += count;
            }
            if (m_settings.encoder != nullptr) {
                m_sink.access_encoded(done.ts_us, done.encoded);
            } else {
                m_sink.access(task.batch[i].record);
            }
            ++m_summary.records;
            ++m_in.report.records;
        }
    }

    void hand_over_beacon(const LineTask& task) {
        const std::uint64_t number = task.number;
        const std::string_view line = task.line;
        const parse::BeaconBatch& beacon = task.beacon;
        for (const auto& row_reject : beacon.rejects) {
            reject(number, row_reject.reason, line); // "impressions[0]: invalid rank …"
        }
        for (const auto& warning : beacon.warnings) {
            ++m_summary.warnings[warning_category(warning)];
        }
        std::uint64_t rows = 0;
        for (const auto& row : beacon.searches) {
            if (admit("searches", row.occurred_at_us, number, line)) {
                m_sink.search(row);
                ++m_summary.searches;
                ++rows;
            }
        }
        for (const auto& row : beacon.impressions) {
            if (admit("search_impressions", row.occurred_at_us, number, line)) {
                m_sink.impression(row);
                ++m_summary.impressions;
                ++rows;
            }
        }
        for (const auto& row : beacon.events) {
            if (admit("events", row.occurred_at_us, number, line)) {
                m_sink.event(row);
                ++m_summary.events;
                ++rows;
            }
        }
        m_summary.records += rows;
        m_in.report.records += rows;
    }

    const config::Config& m_config;
    const IngestOptions& m_options;
    // The --extra fields, in every id and input identity (0: none).
    const std::uint64_t m_source = source_hash(m_options.extras);
    RecordSink& m_sink;
    TimeWindow m_window;
    RejectsFile m_rejects;
    enrich::RejectedText m_rejected_text;
    RunSummary m_summary;
    Reading m_in;
    // Identical lines of the current input (record_id.hpp).
    OccurrenceCounter m_occurrences;
    // The halves of a line's way (line_task.hpp): workers (one with --jobs
    // 1, on this thread), their threads, the chunk being filled.
    LineSettings m_settings;
    std::vector<std::unique_ptr<LineWorker>> m_workers;
    LineTask m_task; // --jobs 1
    std::unique_ptr<LinePool> m_pool;
    LineChunk* m_open = nullptr;
    std::string m_repeat_id; // the id of a repeat, written into its encoded record
    // Position tracking (database loads).
    static constexpr std::int64_t hold_back_seconds = 60;
    std::string m_failed_replay;
    // A live input waits this long for a line before the pipeline looks
    // at the clock (and, following, at the other files).
    static constexpr int poll_ms = 250;
    // A followed file gone from the patterns is closed after this long
    // without a new line (its writer reopens its log after rotation).
    static constexpr std::chrono::seconds gone_after{5};
    Clock::time_point m_last_commit = Clock::now();
    Clock::time_point m_last_hand_over = Clock::now(); // forced by the clock, --jobs N

    // Following: the inputs not being read now, by file.
    struct Followed {
        Reading reading; // moved to m_in during its turn
        std::string path;
        Clock::time_point last_data = Clock::now();
    };

    std::map<input::FileKey, Followed> m_followed;
    std::optional<input::FileKey> m_current; // whose Reading is in m_in
    std::set<input::FileKey> m_done;         // read to their end, closed
    bool m_draining = false;                 // stopped: reading what is there
    Clock::time_point m_drain_until;
};

// Reads the followed files in turns: each turn reads one file up to its
// current end. Leaving a file for another commits it (a batch is one
// input's); staying with the one busy file commits on the clock.
RunSummary Pipeline::follow() {
    const auto start = Clock::now();
    while (!stopping()) {
        const auto files = input::watch_files(m_options.follow);
        std::set<input::FileKey> present;
        for (const auto& file : files) {
            present.insert(file.key);
            const auto known = m_followed.find(file.key);
            if (known == m_followed.end()) {
                if (m_done.count(file.key) == 0) {
                    open_followed(file);
                }
                continue;
            }
            known->second.path = file.path; // renamed by rotation, maybe
            Reading& reading = m_current == file.key ? m_in : known->second.reading;
            const std::uint64_t offset = reading.reader->raw_offset();
            // Emptied and written again between two looks, it may already
            // be as long as it was: its first line tells.
            if (file.size < offset ||
                (file.size != offset && first_line_id(file.path) != reading.identity.id)) {
                // Copied and truncated: the copy holds the rest (and is
                // read from where this stopped); the file starts afresh.
                log::info(input_label(file.path) + ": truncated (copytruncate rotation)");
                close_followed(file.key, false);
                continue;
            }
            if (file.size > offset) {
                activate(file.key);
                known->second.last_data = Clock::now();
                const Turn turn = read_turn();
                if (turn == Turn::idle) {
                    commit_now(); // a pause: visible now
                } else if (turn == Turn::replay_failed) {
                    log::warn(input_label(file.path) + ": " + m_failed_replay +
                              " since the last run: reading it again from the start");
                    start_reading(file.path, std::nullopt);
                    m_in.report.status = "changed: read again from the start";
                } else if (turn == Turn::end) { // a read error
                    close_followed(file.key, true);
                }
            }
        }
        // A file renamed out of the patterns or deleted is read to its end,
        // then closed once its writer has been quiet for a while.
        std::vector<input::FileKey> gone;
        for (const auto& [key, followed] : m_followed) {
            if (present.count(key) == 0 && Clock::now() - followed.last_data >= gone_after) {
                gone.push_back(key);
            }
        }
        for (const auto& key : gone) {
            activate(key);
            if (read_turn() == Turn::idle) {
                close_followed(key, true);
            }
        }
        if (commit_due() && m_current) {
            commit_now();
        }
        m_sink.raise_failure(); // also when no file is open
        sleep_unless_stopped(std::chrono::milliseconds(poll_ms));
    }
    // Stopped: read what the files hold now (for a few seconds at most),
    // commit, close.
    m_draining = true;
    m_drain_until = Clock::now() + std::chrono::seconds(5);
    std::vector<input::FileKey> open;
    for (const auto& [key, followed] : m_followed) {
        open.push_back(key);
    }
    for (const auto& key : open) {
        activate(key);
        read_turn();
        close_followed(key, false);
    }
    return finish(start);
}

// The current file's turn ends: what it read is committed, its state kept.
void Pipeline::park() {
    if (!m_current) {
        return;
    }
    commit_now();
    std::swap(m_occurrences, m_in.occurrences);
    std::swap(m_in, m_followed.at(*m_current).reading);
    m_current.reset();
}

void Pipeline::activate(const input::FileKey& key) {
    if (m_current == key) {
        return;
    }
    park();
    std::swap(m_in, m_followed.at(key).reading);
    std::swap(m_occurrences, m_in.occurrences);
    m_current = key;
    m_sink.open_input(m_in.identity); // the batches that follow are this file's
    if (m_in.format) {
        use_format(*m_in.format, false);
    }
}

void Pipeline::open_followed(const input::WatchedFile& file) {
    bool compressed = false;
    std::string id;
    try {
        compressed = input::file_facts(file.path).compressed;
        id = with_source(input::content_identity(file.path, !compressed));
    } catch (const InputError& e) {
        // One unreadable file (permissions) does not stop the others.
        log::warn(std::string(e.what()) + ": not followed");
        m_done.insert(file.key);
        return;
    }
    if (id.empty()) {
        return; // no complete line yet
    }
    for (const auto& [key, followed] : m_followed) {
        const Reading& reading = m_current == key ? m_in : followed.reading;
        if (reading.identity.id == id) {
            // The copy or the compressed form of a file still being read
            // (rotation): read once that one is closed, from where it stopped.
            return;
        }
    }
    park();
    if (compressed) { // a rotated file: it does not grow
        process_input(file.path);
        m_done.insert(file.key);
        return;
    }
    if (!open_reading(file.path, true)) {
        return;
    }
    m_followed[file.key].path = file.path;
    m_current = file.key;
}

// Ends a followed file. keep_done: it is not to be opened again (closed at its
// end); otherwise its inode may come back with new content (truncated).
void Pipeline::close_followed(const input::FileKey& key, bool keep_done) {
    activate(key);
    if (!close_reading(false)) {
        log::warn(input_label(m_in.report.path) + ": " + m_failed_replay +
                  "; left for another run");
    }
    m_in = Reading{};
    m_current.reset();
    m_followed.erase(key);
    if (keep_done) {
        m_done.insert(key);
    }
}

// False when a stop was asked for during the pause.
bool Pipeline::sleep_unless_stopped(std::chrono::milliseconds pause) const {
    const auto until = Clock::now() + pause;
    while (Clock::now() < until) {
        if (stopping()) {
            return false;
        }
        std::this_thread::sleep_for(
            std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(50)));
    }
    return !stopping();
}

} // namespace

RunSummary run_ingest(const config::Config& config, const IngestOptions& options,
                      RecordSink& sink) {
    Pipeline pipeline(config, options, sink);
    return pipeline.run();
}

RunSummary follow_ingest(const config::Config& config, const IngestOptions& options,
                         const std::function<std::unique_ptr<RecordSink>()>& open_sink) {
    using namespace std::chrono;
    seconds pause{1};
    std::uint64_t reconnections = 0;
    for (;;) {
        const auto started = steady_clock::now();
        try {
            const auto sink = open_sink();
            Pipeline pipeline(config, options, *sink);
            RunSummary summary = pipeline.follow();
            if (reconnections > 0) {
                summary.warnings["database lost, then reached again"] += reconnections;
            }
            return summary;
        } catch (const Error& e) {
            if (e.status() != ExitStatus::unavailable) {
                throw;
            }
            if (steady_clock::now() - started > minutes(1)) {
                pause = seconds(1); // it had been working: start again at 1 s
            }
            log::warn(std::string(e.what()) + "; trying again in " + std::to_string(pause.count()) +
                      " s (the lines wait in the logs)");
        }
        ++reconnections;
        const auto until = steady_clock::now() + pause;
        while (steady_clock::now() < until) {
            if (options.stop != nullptr && options.stop->load()) {
                RunSummary summary;
                summary.warnings["stopped while the database was unreachable"] = 1;
                return summary;
            }
            std::this_thread::sleep_for(milliseconds(50));
        }
        pause = std::min<seconds>(pause * 2, minutes(1));
    }
}

} // namespace analytics::ingest
