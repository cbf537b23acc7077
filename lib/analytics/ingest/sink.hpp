#pragma once

// Where ingested records go: JSON lines (`--output`), nowhere (`--dry-run`),
// or the database (a later sink).

#include <analytics/parse/events.hpp>
#include <analytics/record/access_record.hpp>

#include <cstdio>
#include <string>

namespace analytics::ingest {

class RecordSink {
  public:
    virtual ~RecordSink() = default;
    virtual void access(const record::AccessRecord& record) = 0;
    virtual void search(const parse::SearchRow& row) = 0;
    virtual void impression(const parse::ImpressionRow& row) = 0;
    virtual void event(const parse::EventRow& row) = 0;
    // After the last record: flush, and report write errors (InputError).
    virtual void finish() = 0;
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
    void search(const parse::SearchRow& row) override;
    void impression(const parse::ImpressionRow& row) override;
    void event(const parse::EventRow& row) override;
    void finish() override;

  private:
    void end_line();
    void flush();

    std::string m_path;
    int m_fd = -1;
    bool m_owns_fd = false;
    std::string m_buffer;
};

} // namespace analytics::ingest
