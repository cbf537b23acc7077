#include <analytics/enrich/enricher.hpp>
#include <analytics/enrich/user_agent.hpp>
#include <analytics/ingest/formats.hpp>
#include <analytics/ingest/pipeline.hpp>
#include <analytics/ingest/record_id.hpp>
#include <analytics/input/line_reader.hpp>
#include <analytics/parse/access_parser.hpp>
#include <analytics/parse/events.hpp>
#include <analytics/parse/timestamp.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/json_text.hpp>
#include <analytics/util/log.hpp>
#include <analytics/util/text.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>

namespace analytics::ingest {

namespace {

constexpr std::size_t detection_lines = 10;
constexpr std::size_t rejected_text_bytes = 4096;

std::string with_thousands(std::uint64_t n) {
    std::string digits = std::to_string(n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
        digits.insert(static_cast<std::size_t>(i), ",");
    }
    return digits;
}

std::string input_label(const std::string& path) {
    return path == "-" ? "stdin" : path;
}

// Writes rejected lines as JSON lines: input, line number, reason, text.
class RejectsFile {
  public:
    explicit RejectsFile(const std::string& path) {
        if (path.empty()) {
            return;
        }
        m_file = path == "-" ? stdout : std::fopen(path.c_str(), "w");
        if (m_file == nullptr) {
            throw InputError("cannot write " + path + ": " + std::strerror(errno));
        }
        m_owned = path != "-";
    }

    ~RejectsFile() {
        if (m_owned && m_file != nullptr) {
            std::fclose(m_file);
        }
    }

    RejectsFile(const RejectsFile&) = delete;
    RejectsFile& operator=(const RejectsFile&) = delete;

    void write(const std::string& input, std::uint64_t line, const std::string& reason,
               std::string_view text) {
        if (m_file == nullptr) {
            return;
        }
        m_buffer.clear();
        m_buffer.append("{\"input\":");
        append_json_string(m_buffer, input_label(input));
        m_buffer.append(",\"line\":");
        append_int(m_buffer, static_cast<std::int64_t>(line));
        m_buffer.append(",\"reason\":");
        append_json_string(m_buffer, reason);
        m_buffer.append(",\"text\":");
        // The text may be any bytes: keep it valid JSON.
        const std::string_view cut = text.substr(0, rejected_text_bytes);
        if (is_valid_utf8(cut) && cut.find('\0') == std::string_view::npos) {
            append_json_string(m_buffer, cut);
        } else {
            std::string repaired;
            repair_utf8(cut, repaired);
            append_json_string(m_buffer, repaired);
        }
        m_buffer.append("}\n");
        if (std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size()) {
            throw InputError("cannot write the rejects file: " + std::string(std::strerror(errno)));
        }
    }

    void close() {
        if (m_file != nullptr && std::fflush(m_file) != 0) {
            throw InputError("cannot write the rejects file: " + std::string(std::strerror(errno)));
        }
    }

  private:
    std::FILE* m_file = nullptr;
    bool m_owned = false;
    std::string m_buffer;
};

class Pipeline {
  public:
    Pipeline(const config::Config& config, const IngestOptions& options, RecordSink& sink)
        : m_config(config), m_options(options), m_sink(sink), m_zone(config.timezone),
          m_rejects(options.rejects_path) {
        if (options.format != "auto" && !format_from_name(options.format)) {
            throw UsageError("unknown input format '" + options.format + "'");
        }
    }

    IngestSummary run() {
        const auto start = std::chrono::steady_clock::now();
        for (const auto& path : m_options.inputs) {
            process_input(path);
        }
        m_sink.finish();
        m_rejects.close();
        m_summary.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return m_summary;
    }

  private:
    void process_input(const std::string& path) {
        input::LineReader reader(path);
        m_report = InputReport{};
        m_report.path = path;
        m_occurrences.clear();
        m_format.reset();
        if (m_options.format != "auto") {
            use_format(*format_from_name(m_options.format), false);
        }
        std::vector<std::pair<std::uint64_t, std::string>> pending; // lines read before detection
        std::size_t pending_non_blank = 0;
        std::string_view line;
        while (reader.next(line)) {
            if (!m_format) {
                pending.emplace_back(reader.line_number(), std::string(line));
                pending_non_blank += trim(line).empty() ? 0 : 1;
                if (reader.line_too_long()) {
                    pending.back().first |= too_long_flag;
                }
                if (pending_non_blank >= detection_lines) {
                    detect(pending);
                    drain(pending);
                }
                continue;
            }
            process_line(line, reader.line_number(), reader.line_too_long());
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
        m_report.lines = reader.line_number();
        m_report.bytes = reader.offset();
        m_summary.lines += m_report.lines;
        m_summary.bytes += m_report.bytes;
        m_report.format = m_format ? format_name(*m_format) : "";
        m_summary.inputs.push_back(m_report);
    }

    static constexpr std::uint64_t too_long_flag = 1ULL << 63;

    void drain(std::vector<std::pair<std::uint64_t, std::string>>& pending) {
        for (auto& [number, text] : pending) {
            process_line(text, number & ~too_long_flag, (number & too_long_flag) != 0);
        }
        pending.clear();
    }

    void detect(const std::vector<std::pair<std::uint64_t, std::string>>& pending) {
        std::vector<std::string> sample;
        for (const auto& entry : pending) {
            if ((entry.first & too_long_flag) == 0) {
                sample.push_back(entry.second);
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
        if (!m_enricher) {
            const std::string& regexes = m_config.user_agent.regexes_file;
            if (!regexes.empty()) {
                m_user_agents = std::make_unique<enrich::UserAgentParser>(regexes);
            }
            m_enricher = std::make_unique<enrich::Enricher>(m_config, m_user_agents.get());
            m_enricher->set_extras(m_options.extras);
        }
        m_parser = parser.get();
        m_parsers.emplace(format, std::move(parser));
    }

    void reject(std::uint64_t line_number, const std::string& reason, std::string_view text) {
        ++m_summary.rejected;
        ++m_report.rejected;
        ++m_summary.rejects_by_reason[reject_category(reason)];
        m_rejects.write(m_report.path, line_number, reason, text);
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
        for (std::size_t i = 0; i < m_batch.size(); ++i) {
            auto& item = m_batch[i];
            auto& record = item.record;
            if (record.id.empty()) {
                const std::uint64_t hash = hash64(line, i);
                format_record_id(record.id, hash, m_occurrences.next(hash, record.ts_us));
            }
            m_enricher->enrich(record, item.extras, m_warnings);
            m_sink.access(record);
            ++m_summary.records;
            ++m_report.records;
        }
        if (!m_warnings.counts.empty()) {
            for (const auto& [what, count] : m_warnings.counts) {
                m_summary.warnings[what] += count;
            }
            m_warnings.counts.clear();
        }
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
        for (const auto& row : m_beacon.searches) {
            m_sink.search(row);
        }
        for (const auto& row : m_beacon.impressions) {
            m_sink.impression(row);
        }
        for (const auto& row : m_beacon.events) {
            m_sink.event(row);
        }
        m_summary.searches += m_beacon.searches.size();
        m_summary.impressions += m_beacon.impressions.size();
        m_summary.events += m_beacon.events.size();
        m_summary.records += m_beacon.rows();
        m_report.records += m_beacon.rows();
    }

    const config::Config& m_config;
    const IngestOptions& m_options;
    RecordSink& m_sink;
    parse::LocalZone m_zone;
    // The BTAA writers (api-json, events) stamp naive times with utcnow().
    parse::LocalZone m_utc{"UTC"};
    RejectsFile m_rejects;
    IngestSummary m_summary;
    InputReport m_report;
    std::optional<Format> m_format;
    std::map<Format, std::unique_ptr<parse::AccessParser>> m_parsers;
    parse::AccessParser* m_parser = nullptr;
    std::unique_ptr<parse::EventsParser> m_events;
    std::unique_ptr<enrich::UserAgentParser> m_user_agents;
    std::unique_ptr<enrich::Enricher> m_enricher;
    OccurrenceCounter m_occurrences;
    parse::ParsedBatch m_batch;
    parse::BeaconBatch m_beacon;
    enrich::EnrichWarnings m_warnings;
    std::string m_reason;
    std::string m_repaired;
};

} // namespace

std::string reject_category(const std::string& reason) {
    std::string_view s = reason;
    // "events[3]: …" and "logRecords[0]: …" → the part after the position.
    const std::size_t close = s.find("]: ");
    if (close != std::string_view::npos && s.find('[') < close && s.find(' ') > close) {
        s = s.substr(close + 3);
    }
    const std::size_t cut = s.find_first_of("\"[(:");
    if (cut != std::string_view::npos) {
        s = s.substr(0, cut);
    }
    return std::string(trim(s));
}

std::string warning_category(const std::string& warning) {
    // "searches[0].per_page: 2.5 is not an integer; stored as NULL" → "per_page: stored as NULL"
    std::string_view s = warning;
    const std::size_t close = s.find(']');
    if (close != std::string_view::npos && s.find('[') < close && s.find(' ') > close) {
        s = s.substr(close + 1);
        if (!s.empty() && (s.front() == '.' || s.front() == ':')) {
            s.remove_prefix(1);
        }
    }
    s = trim(s);
    const std::size_t colon = s.find(':');
    const std::size_t semicolon = s.rfind(';');
    if (colon == std::string_view::npos || semicolon == std::string_view::npos ||
        semicolon < colon) {
        return std::string(s.substr(0, s.find_first_of("\"(")));
    }
    return std::string(s.substr(0, colon)) + ": " + std::string(trim(s.substr(semicolon + 1)));
}

double IngestSummary::reject_ratio() const {
    const std::uint64_t total = records + rejected;
    return total == 0 ? 0.0 : static_cast<double>(rejected) / static_cast<double>(total);
}

std::string IngestSummary::to_text() const {
    std::ostringstream out;
    const double rate = seconds > 0 ? static_cast<double>(lines) / seconds : 0.0;
    out << "ingest: " << inputs.size() << (inputs.size() == 1 ? " input, " : " inputs, ")
        << with_thousands(lines) << " lines, " << with_thousands(records) << " records, "
        << with_thousands(rejected) << " rejected";
    char buffer[128];
    std::snprintf(buffer, sizeof buffer, " (%.2f%%), %.2f s, %s lines/s\n", reject_ratio() * 100.0,
                  seconds, with_thousands(static_cast<std::uint64_t>(rate)).c_str());
    out << buffer;
    if (searches + impressions + events > 0) {
        out << "  rows: " << with_thousands(searches) << " searches, "
            << with_thousands(impressions) << " impressions, " << with_thousands(events)
            << " events\n";
    }
    for (const auto& input : inputs) {
        out << "  " << input_label(input.path) << ": "
            << (input.format.empty() ? "-" : input.format) << ", " << with_thousands(input.lines)
            << " lines, " << with_thousands(input.records) << " records, "
            << with_thousands(input.rejected) << " rejected\n";
    }
    for (const auto& [reason, count] : rejects_by_reason) {
        out << "  rejected: " << reason << ": " << with_thousands(count) << "\n";
    }
    for (const auto& [warning, count] : warnings) {
        out << "  warning: " << warning << ": " << with_thousands(count) << "\n";
    }
    return out.str();
}

std::string IngestSummary::to_json() const {
    std::string out = "{\"inputs\":[";
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto& input = inputs[i];
        out += i == 0 ? "{" : ",{";
        out += "\"path\":";
        append_json_string(out, input.path);
        out += ",\"format\":";
        append_json_string(out, input.format);
        out += ",\"lines\":" + std::to_string(input.lines);
        out += ",\"bytes\":" + std::to_string(input.bytes);
        out += ",\"records\":" + std::to_string(input.records);
        out += ",\"rejected\":" + std::to_string(input.rejected) + "}";
    }
    out += "],\"lines\":" + std::to_string(lines);
    out += ",\"blank_lines\":" + std::to_string(blank_lines);
    out += ",\"bytes\":" + std::to_string(bytes);
    out += ",\"records\":" + std::to_string(records);
    out += ",\"searches\":" + std::to_string(searches);
    out += ",\"impressions\":" + std::to_string(impressions);
    out += ",\"events\":" + std::to_string(events);
    out += ",\"rejected\":" + std::to_string(rejected);
    auto append_counts = [&out](const char* key, const std::map<std::string, std::uint64_t>& m) {
        out += ",\"";
        out += key;
        out += "\":{";
        bool first = true;
        for (const auto& [name, count] : m) {
            if (!first) {
                out += ",";
            }
            first = false;
            append_json_string(out, name);
            out += ":" + std::to_string(count);
        }
        out += "}";
    };
    append_counts("rejects", rejects_by_reason);
    append_counts("warnings", warnings);
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, ",\"reject_ratio\":%.6f,\"seconds\":%.3f}", reject_ratio(),
                  seconds);
    out += buffer;
    return out;
}

IngestSummary run_ingest(const config::Config& config, const IngestOptions& options,
                         RecordSink& sink) {
    Pipeline pipeline(config, options, sink);
    return pipeline.run();
}

} // namespace analytics::ingest
