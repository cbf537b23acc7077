#include <analytics/record/access_json.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/json_writer.hpp>

#include <cstring>

namespace analytics::record {

namespace {

// Each thread's writer buffer, kept between records.
std::string& scratch() {
    thread_local std::string buffer;
    return buffer;
}

void write_array(JsonWriter& w, const std::vector<std::string>& items) {
    w.put('[');
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            w.put(',');
        }
        w.string(items[i]);
    }
    w.put(']');
}

void write_object(JsonWriter& w, const JsonObject& object) {
    w.put('{');
    bool first = true;
    for (const auto& entry : object) {
        if (!first) {
            w.put(',');
        }
        first = false;
        w.string(entry.key);
        w.put(':');
        switch (entry.kind) {
        case JsonObject::Kind::string:
            w.string(entry.text);
            break;
        case JsonObject::Kind::boolean:
            w.put(entry.boolean ? std::string_view("true") : std::string_view("false"));
            break;
        case JsonObject::Kind::null:
            w.put("null");
            break;
        case JsonObject::Kind::raw:
            w.put(entry.text);
            break;
        case JsonObject::Kind::string_array:
            write_array(w, entry.array);
            break;
        }
    }
    w.put('}');
}

class ObjectWriter {
  public:
    explicit ObjectWriter(JsonWriter& w) : m_w(w) { m_w.put('{'); }

    ~ObjectWriter() { m_w.put('}'); }

    ObjectWriter(const ObjectWriter&) = delete;
    ObjectWriter& operator=(const ObjectWriter&) = delete;

    // ,"name": in one piece (column names are short and need no escaping).
    JsonWriter& key(std::string_view name) {
        char* at = m_w.room(name.size() + 4);
        std::size_t n = 0;
        if (!m_first) {
            at[n++] = ',';
        }
        m_first = false;
        at[n++] = '"';
        std::memcpy(at + n, name.data(), name.size());
        n += name.size();
        at[n++] = '"';
        at[n++] = ':';
        m_w.advance(n);
        return m_w;
    }

    void text(std::string_view name, const Nullable& value) {
        if (value.has_value()) {
            key(name).string(value.value());
        }
    }

    template <typename T>
    void number(std::string_view name, const NullableNumber<T>& value) {
        if (!value.null) {
            key(name).integer(value.value);
        }
    }

    // One column, as its kind is written (NULL columns omitted).
    void field(column_kind::key, std::string_view name, const std::string& value) {
        key(name).string(value);
    }

    void field(column_kind::timestamp, std::string_view name, std::int64_t us) {
        JsonWriter& w = key(name);
        char* at = w.room(time::iso_utc_max + 2);
        at[0] = '"';
        const std::size_t n = time::write_iso_utc(at + 1, us);
        at[n + 1] = '"';
        w.advance(n + 2);
    }

    void field(column_kind::text, std::string_view name, const Nullable& value) {
        text(name, value);
    }

    void field(column_kind::parsed_text, std::string_view name, const Nullable& value) {
        text(name, value);
    }

    void field(column_kind::text_array, std::string_view name, const NullableList& value) {
        if (!value.null) {
            write_array(key(name), value.items);
        }
    }

    template <typename Kind, typename T>
    void field(Kind, std::string_view name, const NullableNumber<T>& value) {
        number(name, value);
    }

    void field(column_kind::jsonb, std::string_view name, const JsonObject& value) {
        if (!value.empty()) {
            write_object(key(name), value);
        }
    }

    void field(column_kind::details, std::string_view name, const JsonObject& value) {
        write_object(key(name), value);
    }

  private:
    JsonWriter& m_w;
    bool m_first = true;
};

} // namespace

void append_json(std::string& out, const JsonObject& object) {
    JsonWriter w(scratch());
    write_object(w, object);
    w.append_to(out);
}

void append_json(std::string& out, const AccessRecord& r) {
    JsonWriter w(scratch());
    {
        ObjectWriter o(w);
#define ANALYTICS_ACCESS_COLUMN(name, member, kind) o.field(column_kind::kind{}, #name, r.member);
#include <analytics/record/access_columns.def>
#undef ANALYTICS_ACCESS_COLUMN
    }
    w.append_to(out);
}

} // namespace analytics::record
