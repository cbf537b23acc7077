#include <analytics/load/copy_text.hpp>
#include <analytics/record/access_json.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/byte_scan.hpp>
#include <analytics/util/json_text.hpp>

#include <array>
#include <cstddef>
#include <cstring>

namespace analytics::load {

namespace {

// The timestamp goes last in every COPY row (copy_text.hpp says why).
template <class Column>
constexpr bool copied_last(const Column& column) {
    return column.sql_type == "timestamptz";
}

template <const auto& Columns>
constexpr std::size_t list_size() {
    std::size_t size = 0;
    for (const auto& column : Columns) {
        size += column.name.size() + 2; // ", " after each but the last, and the NUL
    }
    return size - 1;
}

// A catalogue's names, ", "-separated, the timestamp last; computed at
// compile time.
template <const auto& Columns>
constexpr auto column_list = [] {
    std::array<char, list_size<Columns>()> list{};
    std::size_t n = 0;
    for (const bool last : {false, true}) {
        for (const auto& column : Columns) {
            if (copied_last(column) != last) {
                continue;
            }
            if (n > 0) {
                list[n++] = ',';
                list[n++] = ' ';
            }
            for (const char c : column.name) {
                list[n++] = c;
            }
        }
    }
    return list;
}();

} // namespace

const char* const access_columns = column_list<record::access_log_columns>.data();
const char* const search_columns = column_list<parse::search_row_columns>.data();
const char* const impression_columns = column_list<parse::impression_row_columns>.data();
const char* const event_columns = column_list<parse::event_row_columns>.data();

namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

// One row under construction: fields separated by tabs, "\n" at the end.
class RowWriter {
  public:
    explicit RowWriter(std::string& out) : m_out(out) {}

    ~RowWriter() { m_out.push_back('\n'); }

    RowWriter(const RowWriter&) = delete;
    RowWriter& operator=(const RowWriter&) = delete;

    std::string& next() {
        if (!m_first) {
            m_out.push_back('\t');
        }
        m_first = false;
        return m_out;
    }

    void null() { next().append("\\N"); }

    void text(std::string_view value) { append_copy_text(next(), value); }

    void text(const std::string& value) { append_copy_text(next(), value); }

    void text(const record::Nullable& value) {
        if (value.is_null()) {
            null();
        } else {
            text(value.view());
        }
    }

    void text(const std::optional<std::string>& value) {
        if (value) {
            text(*value);
        } else {
            null();
        }
    }

    void json(const std::optional<std::string>& value) {
        if (value) {
            append_copy_json(next(), *value);
        } else {
            null();
        }
    }

    void timestamp(std::int64_t us) { time::append_iso_utc(next(), us); }

    template <typename T>
    void number(T value) {
        append_int(next(), static_cast<std::int64_t>(value));
    }

    template <typename T>
    void number(const record::NullableNumber<T>& value) {
        if (value.null) {
            null();
        } else {
            number(value.value);
        }
    }

    template <typename T>
    void number(const std::optional<T>& value) {
        if (value) {
            number(*value);
        } else {
            null();
        }
    }

    void boolean(bool value) { next().push_back(value ? 't' : 'f'); }

  private:
    std::string& m_out;
    bool m_first = true;
};

// {"a","b\"c"}: a text[] literal, elements always quoted.
void append_array_literal(std::string& out, const std::vector<std::string>& items) {
    out.push_back('{');
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out.push_back(',');
        }
        out.push_back('"');
        for (char c : items[i]) {
            if (c == '"' || c == '\\') {
                out.push_back('\\');
            }
            out.push_back(c);
        }
        out.push_back('"');
    }
    out.push_back('}');
}

void append_copy_object(RowWriter& w, const record::JsonObject& object, std::string& scratch) {
    if (object.empty()) {
        w.null();
    } else {
        scratch.clear();
        record::append_json(scratch, object);
        append_copy_json(w.next(), scratch);
    }
}

// One access_logs field, as its kind is written; the timestamp comes in copy_last.
void copy_field(RowWriter& w, record::column_kind::key, const std::string& value, std::string&) {
    w.text(value);
}

void copy_field(RowWriter&, record::column_kind::timestamp, std::int64_t, std::string&) {}

template <typename Kind>
void copy_field(RowWriter& w, Kind, const record::Nullable& value, std::string&) {
    w.text(value);
}

void copy_field(RowWriter& w, record::column_kind::text_array, const record::NullableList& value,
                std::string& scratch) {
    if (value.null) {
        w.null();
    } else {
        scratch.clear();
        append_array_literal(scratch, value.items);
        w.text(scratch);
    }
}

template <typename Kind, typename T>
void copy_field(RowWriter& w, Kind, const record::NullableNumber<T>& value, std::string&) {
    w.number(value);
}

template <typename Kind>
void copy_field(RowWriter& w, Kind, const record::JsonObject& value, std::string& scratch) {
    append_copy_object(w, value, scratch);
}

void copy_last(RowWriter& w, record::column_kind::timestamp, std::int64_t us) {
    w.timestamp(us);
}

template <typename Kind, typename T>
void copy_last(RowWriter&, Kind, const T&) {}

// One event table field, as its kind is written; occurred_at comes last.
void copy_field(RowWriter& w, parse::event_kind::required_varchar, const std::string& value) {
    w.text(value);
}

template <typename Kind>
void copy_field(RowWriter& w, Kind, const std::optional<std::string>& value) {
    w.text(value);
}

void copy_field(RowWriter& w, parse::event_kind::jsonb, const std::optional<std::string>& value) {
    w.json(value);
}

template <typename Kind, typename T>
void copy_field(RowWriter& w, Kind, const std::optional<T>& value) {
    w.number(value);
}

void copy_field(RowWriter& w, parse::event_kind::required_int4, std::int32_t value) {
    w.number(value);
}

void copy_field(RowWriter& w, parse::event_kind::required_int8, std::int64_t value) {
    w.number(value);
}

void copy_field(RowWriter& w, parse::event_kind::required_bool, bool value) {
    w.boolean(value);
}

void copy_field(RowWriter&, parse::event_kind::timestamp, std::int64_t) {}

} // namespace

void append_copy_text(std::string& out, std::string_view text) {
    std::size_t clean = 0; // start of the run not yet copied
    for (std::size_t i = find_control_or(text, 0, '\\', '\\'); i < text.size();
         i = find_control_or(text, i + 1, '\\', '\\')) {
        const char* escape = nullptr;
        switch (text[i]) {
        case '\\':
            escape = "\\\\";
            break;
        case '\n':
            escape = "\\n";
            break;
        case '\r':
            escape = "\\r";
            break;
        case '\t':
            escape = "\\t";
            break;
        case '\0':
            break;
        default:
            continue; // other control characters travel as they are
        }
        out.append(text.data() + clean, i - clean);
        if (escape != nullptr) {
            out.append(escape);
        } else {
            out.append(replacement_character);
        }
        clean = i + 1;
    }
    out.append(text.data() + clean, text.size() - clean);
}

void append_copy_json(std::string& out, std::string_view json) {
    // JSON text has no raw control characters; only backslashes need doubling,
    // and an escaped NUL must be replaced. Escape pairs are walked as pairs so
    // that "\\u0000" (a backslash, then "u0000") stays as it is.
    std::size_t clean = 0;
    for (std::size_t i = find_control_or(json, 0, '\\', '\\'); i < json.size();
         i = find_control_or(json, i + 1, '\\', '\\')) {
        const char c = json[i];
        if (c != '\\' && c != '\n' && c != '\r' && c != '\t' && c != '\0') {
            continue;
        }
        out.append(json.data() + clean, i - clean);
        clean = i + 1;
        if (c != '\\') { // outside strings only: whitespace, or junk jsonb will refuse
            append_copy_text(out, json.substr(i, 1));
            continue;
        }
        if (json.substr(i, 6) == "\\u0000") {
            out.append("\\\\ufffd");
            i += 5;
            clean = i + 1;
            continue;
        }
        out.append("\\\\");
        if (i + 1 < json.size()) { // the escaped character travels with its backslash
            ++i;
            append_copy_text(out, json.substr(i, 1));
            clean = i + 1;
        }
    }
    out.append(json.data() + clean, json.size() - clean);
}

void append_copy_row(std::string& out, const record::AccessRecord& r, std::string& scratch) {
    RowWriter w(out);
    // Two passes over the catalogue, as access_columns orders it: every
    // column but the timestamp, then the timestamp.
#define ANALYTICS_ACCESS_COLUMN(name, member, kind)                                                \
    copy_field(w, record::column_kind::kind{}, r.member, scratch);
#include <analytics/record/access_columns.def>
#undef ANALYTICS_ACCESS_COLUMN
#define ANALYTICS_ACCESS_COLUMN(name, member, kind)                                                \
    copy_last(w, record::column_kind::kind{}, r.member);
#include <analytics/record/access_columns.def>
#undef ANALYTICS_ACCESS_COLUMN
}

void append_copy_row(std::string& out, const parse::SearchRow& r) {
    RowWriter w(out);
#define ANALYTICS_SEARCH_COLUMN(name, member, kind, length)                                        \
    copy_field(w, parse::event_kind::kind{}, r.member);
#include <analytics/parse/event_columns.def>
    w.timestamp(r.occurred_at_us);
}

void append_copy_row(std::string& out, const parse::ImpressionRow& r) {
    RowWriter w(out);
#define ANALYTICS_IMPRESSION_COLUMN(name, member, kind, length)                                    \
    copy_field(w, parse::event_kind::kind{}, r.member);
#include <analytics/parse/event_columns.def>
    w.timestamp(r.occurred_at_us);
}

void append_copy_row(std::string& out, const parse::EventRow& r) {
    RowWriter w(out);
#define ANALYTICS_EVENT_COLUMN(name, member, kind, length)                                         \
    copy_field(w, parse::event_kind::kind{}, r.member);
#include <analytics/parse/event_columns.def>
    w.timestamp(r.occurred_at_us);
}

} // namespace analytics::load
