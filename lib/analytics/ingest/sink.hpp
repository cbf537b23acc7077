#pragma once

// Where ingested records go: JSON lines (`--output`), nowhere (`--dry-run`),
// or the database (load/database_sink.hpp), which also remembers how far
// each input was loaded.

#include <analytics/parse/event_rows.hpp>
#include <analytics/record/access_record.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace analytics::ingest {

struct RunSummary;

// An input as the registry knows it.
struct InputIdentity {
    // "h:<hash of the first line>", or "name:<--source-name>"; followed by
    // "/extras:<hash>" when --extra fields are given (ingest/record_id.hpp).
    std::string id;
    // The id without the fields, which version 0.1 used: read when `id` has
    // no history yet, never written.
    std::string legacy_id;
    std::string display;   // path or source name, for people
    std::string signature; // raw-file signature (input/fingerprint.hpp); empty for stdin
    bool compressed = false;
};

// How far an input has been consumed: complete lines, their uncompressed
// bytes, and a running hash of those lines (util/hash.hpp combine_hash).
struct InputPosition {
    std::uint64_t lines = 0;
    std::uint64_t bytes = 0;
    std::uint64_t chain = 0;
};

// What the registry remembers of an input.
struct InputHistory {
    bool file_complete = false;          // this very file was loaded to its end
    std::optional<InputPosition> loaded; // how far its content was loaded
};

class RecordSink {
  public:
    virtual ~RecordSink() = default;
    virtual void access(const record::AccessRecord& record) = 0;
    virtual void search(const parse::SearchRow& row) = 0;
    virtual void impression(const parse::ImpressionRow& row) = 0;
    virtual void event(const parse::EventRow& row) = 0;
    // After the last record: flush, and report write errors (InputError).
    virtual void finish() = 0;

    // Writes out what is buffered (a live input paused); sinks that batch
    // commit through checkpoint() instead.
    virtual void flush() {}

    // Sinks that remember positions (the database) get the calls below;
    // the others keep these defaults.
    virtual bool tracks_positions() const { return false; }

    // Starts an input; returns what was loaded of it before.
    virtual InputHistory open_input(const InputIdentity&) { return {}; }

    // Why a row of `table` at `ts_us` is set aside rather than stored (its
    // month was rolled up and dropped); empty when it may be stored.
    virtual std::string set_aside(const char* /*table*/, std::int64_t /*ts_us*/) const {
        return {};
    }

    // A line of the current input that gave no record (or a row set aside).
    virtual void reject(std::uint64_t /*line*/, const std::string& /*reason*/,
                        std::string_view /*text*/) {}

    // True when enough rows wait: the pipeline then calls checkpoint() at
    // the end of the current line.
    virtual bool batch_full() const { return false; }

    // Everything up to `position` of the current input is handed over;
    // `complete` when that is the whole file.
    virtual void checkpoint(const InputPosition& /*position*/, const std::string& /*format*/,
                            bool /*complete*/) {}

    // Raises the failure of a write made in the background (the database
    // sink commits batches on its own thread). A live input that idles calls
    // it, since no later checkpoint() comes to raise it.
    virtual void raise_failure() {}

    // Sinks whose access rows can be written out off the pipeline's thread
    // (ingest --jobs): encode() is called by the workers, concurrently, on
    // their own records, and writes the record's id first (the pipeline
    // rewrites it in the text when it numbers a repeat); access_encoded()
    // then in line order, with the record's time and what encode() made.
    virtual bool encodes_access() const { return false; }

    virtual void encode(const record::AccessRecord& /*record*/, std::string& /*out*/) const {}

    virtual void access_encoded(std::int64_t /*ts_us*/, std::string_view /*encoded*/) {
        throw std::logic_error("access_encoded() on a sink that does not encode");
    }

    // Adds what only the sink knows (rows stored, duplicates, partitions).
    virtual void add_totals(RunSummary& /*summary*/) const {}
};

class NullSink final : public RecordSink {
  public:
    void access(const record::AccessRecord&) override {}

    void search(const parse::SearchRow&) override {}

    void impression(const parse::ImpressionRow&) override {}

    void event(const parse::EventRow&) override {}

    void finish() override {}
};

// One JSON object per line to a file or stdout ("-"), through a large buffer.
class JsonLinesSink final : public RecordSink {
  public:
    explicit JsonLinesSink(const std::string& path); // throws InputError
    ~JsonLinesSink() override;
    JsonLinesSink(const JsonLinesSink&) = delete;
    JsonLinesSink& operator=(const JsonLinesSink&) = delete;

    void access(const record::AccessRecord& record) override;

    bool encodes_access() const override { return true; }

    void encode(const record::AccessRecord& record, std::string& out) const override;
    void access_encoded(std::int64_t ts_us, std::string_view encoded) override;
    void search(const parse::SearchRow& row) override;
    void impression(const parse::ImpressionRow& row) override;
    void event(const parse::EventRow& row) override;
    void finish() override;
    void flush() override;

  private:
    void end_line();

    std::string m_path;
    int m_fd = -1;
    bool m_owns_fd = false;
    std::string m_buffer;
};

} // namespace analytics::ingest
