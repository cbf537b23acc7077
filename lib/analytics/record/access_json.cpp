#include <analytics/record/access_json.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/json_text.hpp>

#include <cstring>
#include <stdexcept>

namespace analytics::record {

namespace {

void append_json_array(std::string& out, const std::vector<std::string>& items) {
    out.push_back('[');
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out.push_back(',');
        }
        append_json_string(out, items[i]);
    }
    out.push_back(']');
}

class ObjectWriter {
  public:
    explicit ObjectWriter(std::string& out) : m_out(out) { m_out.push_back('{'); }

    ~ObjectWriter() { m_out.push_back('}'); }

    ObjectWriter(const ObjectWriter&) = delete;
    ObjectWriter& operator=(const ObjectWriter&) = delete;

    // ,"name": in one append (column names are short and need no escaping).
    std::string& key(std::string_view name) {
        char text[40];
        if (name.size() + 4 > sizeof text) {
            throw std::logic_error("column name too long for ObjectWriter");
        }
        std::size_t n = 0;
        if (!m_first) {
            text[n++] = ',';
        }
        m_first = false;
        text[n++] = '"';
        std::memcpy(text + n, name.data(), name.size());
        n += name.size();
        text[n++] = '"';
        text[n++] = ':';
        m_out.append(text, n);
        return m_out;
    }

    void text(std::string_view name, const Nullable& value) {
        if (value.has_value()) {
            append_json_string(key(name), value.value());
        }
    }

    template <typename T>
    void number(std::string_view name, const NullableNumber<T>& value) {
        if (!value.null) {
            append_int(key(name), value.value);
        }
    }

    // One column, as its kind is written (NULL columns omitted).
    void field(column_kind::key, std::string_view name, const std::string& value) {
        append_json_string(key(name), value);
    }

    void field(column_kind::timestamp, std::string_view name, std::int64_t us) {
        std::string& out = key(name);
        out.push_back('"');
        time::append_iso_utc(out, us);
        out.push_back('"');
    }

    void field(column_kind::text, std::string_view name, const Nullable& value) {
        text(name, value);
    }

    void field(column_kind::parsed_text, std::string_view name, const Nullable& value) {
        text(name, value);
    }

    void field(column_kind::text_array, std::string_view name, const NullableList& value) {
        if (!value.null) {
            append_json_array(key(name), value.items);
        }
    }

    template <typename Kind, typename T>
    void field(Kind, std::string_view name, const NullableNumber<T>& value) {
        number(name, value);
    }

    void field(column_kind::jsonb, std::string_view name, const JsonObject& value) {
        if (!value.empty()) {
            append_json(key(name), value);
        }
    }

    void field(column_kind::details, std::string_view name, const JsonObject& value) {
        append_json(key(name), value);
    }

  private:
    std::string& m_out;
    bool m_first = true;
};

} // namespace

void append_json(std::string& out, const JsonObject& object) {
    out.push_back('{');
    bool first = true;
    for (const auto& entry : object) {
        if (!first) {
            out.push_back(',');
        }
        first = false;
        append_json_string(out, entry.key);
        out.push_back(':');
        switch (entry.kind) {
        case JsonObject::Kind::string:
            append_json_string(out, entry.text);
            break;
        case JsonObject::Kind::boolean:
            out.append(entry.boolean ? "true" : "false");
            break;
        case JsonObject::Kind::null:
            out.append("null");
            break;
        case JsonObject::Kind::raw:
            out.append(entry.text);
            break;
        case JsonObject::Kind::string_array:
            append_json_array(out, entry.array);
            break;
        }
    }
    out.push_back('}');
}

void append_json(std::string& out, const AccessRecord& r) {
    ObjectWriter w(out);
#define ANALYTICS_ACCESS_COLUMN(name, member, kind) w.field(column_kind::kind{}, #name, r.member);
#include <analytics/record/access_columns.def>
#undef ANALYTICS_ACCESS_COLUMN
}

} // namespace analytics::record
