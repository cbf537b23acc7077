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

template <class Row>
void write_client_columns(JsonRow& w, const Row& row) {
    w.text("client_name", row.client_name);
    w.text("client_version", row.client_version);
    w.text("client_channel", row.client_channel);
    w.text("client_instance", row.client_instance);
    w.text("source_host", row.source_host);
}

} // namespace

void append_json(std::string& out, const SearchRow& row) {
    JsonRow w{out, "searches"};
    w.text("search_id", row.search_id);
    w.time("occurred_at", row.occurred_at_us);
    w.text("visit_token", row.visit_token);
    write_client_columns(w, row);
    w.text("query", row.query);
    w.text("search_url", row.search_url);
    w.text("view", row.view);
    w.integer("page", row.page);
    w.integer("per_page", row.per_page);
    w.text("sort", row.sort);
    w.text("search_field", row.search_field);
    w.integer("results_count", row.results_count);
    w.integer("total_pages", row.total_pages);
    w.boolean("zero_results", row.zero_results);
    w.raw_json("properties", row.properties);
    w.close();
}

void append_json(std::string& out, const ImpressionRow& row) {
    JsonRow w{out, "search_impressions"};
    w.text("search_id", row.search_id);
    w.time("occurred_at", row.occurred_at_us);
    w.text("visit_token", row.visit_token);
    w.text("resource_id", row.resource_id);
    w.integer("rank", std::int64_t{row.rank});
    w.integer("page", row.page);
    w.text("view", row.view);
    w.raw_json("properties", row.properties);
    w.close();
}

void append_json(std::string& out, const EventRow& row) {
    JsonRow w{out, "events"};
    w.text("event_id", row.event_id);
    w.time("occurred_at", row.occurred_at_us);
    w.text("event_type", row.event_type);
    w.text("visit_token", row.visit_token);
    w.text("search_id", row.search_id);
    w.text("resource_id", row.resource_id);
    write_client_columns(w, row);
    w.integer("rank", row.rank);
    w.integer("page", row.page);
    w.text("view", row.view);
    w.text("label", row.label);
    w.text("destination_url", row.destination_url);
    w.text("source_component", row.source_component);
    w.raw_json("properties", row.properties);
    w.close();
}

} // namespace analytics::parse
