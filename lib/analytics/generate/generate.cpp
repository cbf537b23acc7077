#include <analytics/config/config.hpp>
#include <analytics/generate/access_formats.hpp>
#include <analytics/generate/generate.hpp>
#include <analytics/generate/geoportal_traffic.hpp>
#include <analytics/generate/traffic.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/json_document.hpp>
#include <analytics/util/output_path.hpp>
#include <analytics/util/text.hpp>

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <unistd.h>

namespace analytics::generate {

namespace {

constexpr std::size_t flush_bytes = 1 << 20;

class StdoutOutput : public LogOutput {
  public:
    void write(std::string_view data) override {
        if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size()) {
            throw OutputError(std::string("cannot write to stdout: ") + std::strerror(errno));
        }
    }

    void finish() override {
        if (std::fflush(stdout) != 0) {
            throw OutputError(std::string("cannot write to stdout: ") + std::strerror(errno));
        }
    }
};

// Written as PATH.tmp-PID, renamed to PATH by finish(): an interrupted run
// never leaves a truncated log behind under the real name. A device or FIFO
// (/dev/null, a pipe) is written in place instead (util/output_path.hpp).
class FileOutput : public LogOutput {
  public:
    explicit FileOutput(const std::string& path) : FileOutput(path, resolved_output(path)) {}

    FileOutput(std::string path, OutputPath output)
        : m_path(std::move(path)),
          m_temporary(output.kind == OutputPath::Kind::in_place
                          ? output.path
                          : output.path + ".tmp-" + std::to_string(::getpid())),
          m_target(output.path), m_in_place(output.kind == OutputPath::Kind::in_place),
          m_gzip(m_path.size() > 3 && m_path.compare(m_path.size() - 3, 3, ".gz") == 0) {
        if (m_gzip) {
            m_gz = gzopen(m_temporary.c_str(), "wb3");
        } else {
            m_file = std::fopen(m_temporary.c_str(), "wb");
        }
        if (m_gz == nullptr && m_file == nullptr) {
            throw OutputError("cannot create " + m_path + ": " + std::strerror(errno));
        }
    }

    ~FileOutput() override {
        if (m_gz != nullptr) {
            gzclose(m_gz);
        }
        if (m_file != nullptr) {
            std::fclose(m_file);
        }
        if (!m_finished && !m_in_place) {
            std::remove(m_temporary.c_str());
        }
    }

    void write(std::string_view data) override {
        const bool ok = m_gzip ? gzwrite(m_gz, data.data(), static_cast<unsigned>(data.size())) ==
                                     static_cast<int>(data.size())
                               : std::fwrite(data.data(), 1, data.size(), m_file) == data.size();
        if (!ok) {
            fail();
        }
    }

    void finish() override {
        const int closed = m_gzip ? gzclose(m_gz) : std::fclose(m_file);
        m_gz = nullptr;
        m_file = nullptr;
        if (closed != 0) {
            fail();
        }
        if (!m_in_place && std::rename(m_temporary.c_str(), m_target.c_str()) != 0) {
            fail();
        }
        m_finished = true;
    }

  private:
    [[noreturn]] void fail() {
        throw OutputError("cannot write " + m_path + ": " + std::strerror(errno));
    }

    static OutputPath resolved_output(const std::string& path) {
        try {
            return resolve_output_path(path);
        } catch (const std::system_error& e) {
            throw InputError(e.what());
        }
    }

    std::string m_path;      // as given
    std::string m_temporary; // written to: beside the target, or the target itself
    std::string m_target;    // replaced by finish(): a link resolved
    bool m_in_place;
    bool m_gzip;
    gzFile m_gz = nullptr;
    std::FILE* m_file = nullptr;
    bool m_finished = false;
};

} // namespace

const std::vector<std::string>& generate_format_names() {
    static const std::vector<std::string> names = {"otel",        "otlp",  "combined", "common",
                                                   "georchestra", "regex", "api-json", "events"};
    return names;
}

std::unique_ptr<LogOutput> open_log_output(const std::string& path) {
    if (path.empty() || path == "-") {
        return std::make_unique<StdoutOutput>();
    }
    return std::make_unique<FileOutput>(path);
}

GenerateSummary generate_logs(const GenerateOptions& options, const config::Config& config,
                              LogOutput& output) {
    if (options.to_us <= options.from_us) {
        throw UsageError("--to must be after --from");
    }
    if (!(options.rate_per_hour > 0)) {
        throw UsageError("--rate must be positive");
    }
    const time::LocalZone zone(config.timezone);
    GenerateSummary summary;
    summary.format = options.format;
    summary.from_us = options.from_us;
    summary.to_us = options.to_us;

    std::string buffer;
    buffer.reserve(flush_bytes + 65536);
    auto flush = [&](bool force) {
        if (force || buffer.size() >= flush_bytes) {
            summary.bytes += buffer.size();
            output.write(buffer);
            buffer.clear();
        }
    };
    Random counts(options.seed ^ 0xc0ffee0ddba11ULL);
    auto to_local = [&zone](std::int64_t utc) { return zone.to_local(utc); };
    auto in_range = [&options](std::int64_t t) {
        return t >= options.from_us && t < options.to_us;
    };

    AccessFormat access{};
    const bool otlp = options.format == "otlp";
    if (otlp || access_format_from_name(options.format, access)) {
        PlatformTraffic traffic(options.seed);
        std::vector<SyntheticRequest> batch(otlp ? 50 : 1);
        std::size_t pending = 0;
        auto flush_otlp = [&] {
            if (pending > 0) {
                append_otlp_line(batch.data(), pending, buffer);
                ++summary.lines;
                pending = 0;
            }
        };
        for_each_hour(options.from_us, options.to_us, options.rate_per_hour, counts, to_local,
                      [&](std::int64_t hour, std::uint64_t count) {
                          for (const std::int64_t t : instants_in_hour(hour, count, counts)) {
                              if (!in_range(t)) {
                                  continue;
                              }
                              SyntheticRequest& request = batch[otlp ? pending : 0];
                              traffic.next(t, request);
                              ++summary.records;
                              if (otlp) {
                                  if (++pending == batch.size()) {
                                      flush_otlp();
                                  }
                              } else if (append_access_line(access, request, zone, buffer)) {
                                  ++summary.lines;
                              } else {
                                  --summary.records;
                              }
                              flush(false);
                          }
                          flush_otlp(); // one OTLP line never spans two hours
                      });
    } else if (options.format == "api-json" || options.format == "events") {
        GeoportalTraffic traffic(options.seed);
        const bool api = options.format == "api-json";
        for_each_hour(options.from_us, options.to_us, options.rate_per_hour, counts, to_local,
                      [&](std::int64_t hour, std::uint64_t count) {
                          for (const std::int64_t t : instants_in_hour(hour, count, counts)) {
                              if (!in_range(t)) {
                                  continue;
                              }
                              if (api) {
                                  traffic.append_api_line(t, buffer);
                              } else {
                                  traffic.append_beacon_line(t, buffer);
                              }
                              ++summary.records;
                              ++summary.lines;
                              flush(false);
                          }
                      });
    } else {
        throw UsageError("generate: unknown format '" + options.format + "'");
    }
    flush(true);
    output.finish();
    return summary;
}

std::string GenerateSummary::to_text() const {
    return "generated " + with_thousands(static_cast<std::int64_t>(lines)) + " lines (" +
           with_thousands(static_cast<std::int64_t>(records)) + " " +
           (format == "events" ? "beacons" : "requests") + ") of " + format + " from " +
           time::format_iso_utc(from_us) + " to " + time::format_iso_utc(to_us) +
           (output.empty() || output == "-" ? std::string() : " into " + output) + "\n";
}

std::string GenerateSummary::to_json() const {
    nlohmann::ordered_json json;
    json["format"] = format;
    json["from"] = time::format_iso_utc(from_us);
    json["to"] = time::format_iso_utc(to_us);
    json["records"] = records;
    json["lines"] = lines;
    json["bytes"] = bytes;
    json["output"] = output.empty() ? "-" : output;
    return dump_json(json);
}

} // namespace analytics::generate
