#include <analytics/parse/event_json.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/json_text.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace analytics::parse {

namespace {

// Output of one row: {"table":…, then the columns, NULLs left out}.
class JsonRow {
  public:
    JsonRow(std::string& out, std::string_view table) : m_out(out) {
        m_out += "{\"table\":";
        append_json_string(m_out, table);
    }

    void text(std::string_view key, const std::string& value) {
        name(key);
        append_json_string(m_out, value);
    }

    void text(std::string_view key, const std::optional<std::string>& value) {
        if (value) {
            text(key, *value);
        }
    }

    void integer(std::string_view key, std::int64_t value) {
        name(key);
        append_int(m_out, value);
    }

    void integer(std::string_view key, std::optional<std::int32_t> value) {
        if (value) {
            integer(key, std::int64_t{*value});
        }
    }

    void boolean(std::string_view key, bool value) {
        name(key);
        m_out += value ? "true" : "false";
    }

    void time(std::string_view key, std::int64_t us) {
        name(key);
        m_out.push_back('"');
        time::append_iso_utc(m_out, us);
        m_out.push_back('"');
    }

    void raw_json(std::string_view key, const std::optional<std::string>& json) {
        if (json) {
            name(key);
            m_out += *json;
        }
    }

    void close() { m_out.push_back('}'); }

  private:
    void name(std::string_view key) {
        m_out.push_back(',');
        append_json_string(m_out, key);
        m_out.push_back(':');
    }

    std::string& m_out;
};

// One column, as its kind is written; NULLs are left out.
template <typename Kind>
void write_field(JsonRow& w, std::string_view key, Kind, const std::string& value) {
    w.text(key, value);
}

template <typename Kind>
void write_field(JsonRow& w, std::string_view key, Kind, const std::optional<std::string>& value) {
    w.text(key, value);
}

void write_field(JsonRow& w, std::string_view key, event_kind::jsonb,
                 const std::optional<std::string>& value) {
    w.raw_json(key, value);
}

template <typename Kind>
void write_field(JsonRow& w, std::string_view key, Kind, std::optional<std::int32_t> value) {
    w.integer(key, value);
}

template <typename Kind>
void write_field(JsonRow& w, std::string_view key, Kind, std::int32_t value) {
    w.integer(key, std::int64_t{value});
}

template <typename Kind>
void write_field(JsonRow& w, std::string_view key, Kind, std::int64_t value) {
    w.integer(key, value);
}

void write_field(JsonRow& w, std::string_view key, event_kind::timestamp, std::int64_t us) {
    w.time(key, us);
}

template <typename Kind>
void write_field(JsonRow& w, std::string_view key, Kind, bool value) {
    w.boolean(key, value);
}

} // namespace

void append_json(std::string& out, const SearchRow& row) {
    JsonRow w{out, RowTable<SearchRow>::name};
#define ANALYTICS_SEARCH_COLUMN(name, member, kind, length)                                        \
    write_field(w, #name, event_kind::kind{}, row.member);
#include <analytics/parse/event_columns.def>
    w.close();
}

void append_json(std::string& out, const ImpressionRow& row) {
    JsonRow w{out, RowTable<ImpressionRow>::name};
#define ANALYTICS_IMPRESSION_COLUMN(name, member, kind, length)                                    \
    write_field(w, #name, event_kind::kind{}, row.member);
#include <analytics/parse/event_columns.def>
    w.close();
}

void append_json(std::string& out, const EventRow& row) {
    JsonRow w{out, RowTable<EventRow>::name};
#define ANALYTICS_EVENT_COLUMN(name, member, kind, length)                                         \
    write_field(w, #name, event_kind::kind{}, row.member);
#include <analytics/parse/event_columns.def>
    w.close();
}

} // namespace analytics::parse
