#pragma once

// One input line's way through ingest, in two halves: what may run on any
// thread (parse, enrich, encode: LineWorker::prepare) and what must run in
// line order on the pipeline's thread (ids numbered, admission, the sink, the
// registry positions: pipeline.cpp). `ingest --jobs N` runs the first half on
// N workers (line_pool.hpp); --jobs 1 runs both halves in turn, line by line.

#include <analytics/config/config.hpp>
#include <analytics/enrich/enricher.hpp>
#include <analytics/enrich/visitor_key.hpp>
#include <analytics/ingest/formats.hpp>
#include <analytics/ingest/record_builder.hpp>
#include <analytics/ingest/sink.hpp>
#include <analytics/parse/access_parser.hpp>
#include <analytics/parse/event_rows.hpp>
#include <analytics/parse/events.hpp>
#include <analytics/time/local_zone.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace analytics::ingest {

struct LineTask {
    // Set by the reader.
    std::uint64_t number = 0;
    bool too_long = false;
    bool replay = false;    // loaded by an earlier run: only its ids matter
    InputPosition position; // of the input once this line is handed over
    std::string text;       // the line's own copy (--jobs N)
    std::string_view line;  // the line: `text`, the reader's buffer, or `repaired`

    // Set by LineWorker::prepare.
    enum class Outcome : std::uint8_t { skipped, blank, too_long, nul, unparsed, access, beacon };
    Outcome outcome = Outcome::skipped;
    bool repaired = false; // invalid UTF-8 replaced by U+FFFD in `line`
    std::string repaired_text;
    std::string reason; // unparsed: why
    // The line's access records, unless the sink encodes them
    // (LineSettings::encoder, ingest --jobs N): each worker then parses into
    // records of its own, which stay in its cache, and `done` carries what
    // the second half needs. With a record in each task of every chunk in
    // flight, a worker spent about 1.4 times the CPU on a line that one
    // thread does.
    parse::ParsedBatch batch;
    std::size_t records = 0;          // access records of the line
    std::vector<std::string> rejects; // records of the line not used (OTLP)
    parse::BeaconBatch beacon;

    // Per access record.
    struct Done {
        bool content_id = false; // its id is the line's hash, numbered in order
        std::uint64_t hash = 0;
        std::int64_t ts_us = 0;
        enrich::EnrichWarnings warnings;
        // When the sink encodes: the record as encode() wrote it, its id
        // at `id_at`, `id_size` bytes long (a content id).
        std::string encoded;
        std::size_t id_at = 0;
        std::size_t id_size = 0;
    };

    std::vector<Done> done;
};

// What a worker needs of the run.
struct LineSettings {
    const config::Config* config = nullptr;
    std::vector<std::pair<std::string, std::string>> extras;
    std::uint64_t source = 0;    // source_hash(extras)
    enrich::SaltSource salts;    // empty: no visitor keys; called from every worker
    const RecordSink* encoder{}; // non-null: access rows are encoded by the workers
};

// A worker's own parsers, enricher and caches: nothing mutable is shared
// between workers (the user-agent cache, the enricher's scratch strings and
// the visitor salts fetched are each worker's). What is read only is shared:
// the compiled user-agent regexes, the GeoIP database.
class LineWorker {
  public:
    explicit LineWorker(const LineSettings& settings);

    // Makes the parser of `format` (and, for access logs, the enricher) if
    // not made yet. Throws ConfigError (a bad regex, no uap-core).
    void use(Format format);

    // Whether use(format) was done.
    bool ready(Format format) const {
        return format == Format::events ? m_events != nullptr : m_parsers.count(format) != 0;
    }

    // The first half of a line's way (the header comment).
    void prepare(LineTask& task, Format format);

  private:
    void prepare_access(LineTask& task, parse::AccessParser& parser);

    const LineSettings& m_settings;
    time::LocalZone m_zone;
    // The BTAA writers (api-json, events) stamp naive times with utcnow().
    time::LocalZone m_utc{"UTC"};
    std::map<Format, std::unique_ptr<parse::AccessParser>> m_parsers;
    std::unique_ptr<parse::EventsParser> m_events;
    parse::ParsedBatch m_batch; // the records, when the sink encodes them
    // Made with the first access-log format (beacons need no user agents).
    std::unique_ptr<RecordBuilder> m_builder;
};

// A salt source safe to call from several workers at once (one call at a
// time; each worker keeps the salts it got).
enrich::SaltSource serialized_salts(enrich::SaltSource source);

} // namespace analytics::ingest
