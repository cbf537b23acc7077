#include <analytics/parse/event_values.hpp>
#include <analytics/parse/events.hpp>
#include <analytics/parse/json_line.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/privacy.hpp>
#include <analytics/util/url.hpp>

#include <simdjson.h>

#include <exception>
#include <limits>
#include <stdexcept>

namespace analytics::parse {

namespace {

using namespace event_values;
using simdjson::SUCCESS;
using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// A line (or a wrapped body) larger than this is refused with simdjson's
// CAPACITY error as its reason: it bounds the parsers' memory whatever the
// input. The BTAA endpoint had no limit but nginx's 100 MB body size.
constexpr std::size_t max_document_bytes = std::size_t{16} << 20;

// TEXT columns (query, search_url, destination_url) are still cut, as the
// BTAA worker did (§5.2).
constexpr std::size_t text_chars = 5000;

// A timestamp PostgreSQL and append_iso_utc both accept: parse_iso_time
// keeps to years 1 to 9999 UTC.
std::optional<std::int64_t> parse_timestamp(std::string_view text, const time::LocalZone& zone) {
    return time::parse_iso_time(text, zone);
}

// What a line's wrapper gives its rows: header defaults (btaa §5.1 step 4)
// and the receive time. Views into the parsed line.
struct LineContext {
    explicit LineContext(const time::LocalZone& z) : zone(z) {}

    const time::LocalZone& zone;
    std::optional<std::string_view> visit_token, client_name, client_version, client_channel,
        client_instance, source_host;
    std::optional<std::int64_t> received_at_us;

    // What the wrapper's headers give a column its row leaves out.
    std::optional<std::string_view> header_default(std::string_view column) const {
        const std::pair<std::string_view, const std::optional<std::string_view>*> defaults[] = {
            {"visit_token", &visit_token},         {"client_name", &client_name},
            {"client_version", &client_version},   {"client_channel", &client_channel},
            {"client_instance", &client_instance}, {"source_host", &source_host}};
        for (const auto& [name, value] : defaults) {
            if (name == column) {
                return *value;
            }
        }
        return std::nullopt;
    }
};

void read_headers(element headers, LineContext& ctx, std::vector<std::string>& warnings) {
    object h;
    if (headers.get_object().get(h) != SUCCESS) {
        if (!headers.is_null()) {
            warnings.push_back("headers: expected an object, got " + describe(headers) +
                               "; ignored");
        }
        return;
    }
    std::optional<std::string_view> origin, referer, referrer;

    struct Header {
        std::string_view name; // folded
        std::optional<std::string_view>* value;
    };

    const Header known[] = {{"x_visit_token", &ctx.visit_token},
                            {"x_btaa_client_name", &ctx.client_name},
                            {"x_btaa_client_version", &ctx.client_version},
                            {"x_btaa_client_channel", &ctx.client_channel},
                            {"x_btaa_client_instance", &ctx.client_instance},
                            {"origin", &origin},
                            {"referer", &referer},
                            {"referrer", &referrer}};
    for (const auto& [name, value] : h) {
        for (const auto& header : known) {
            if (!same_name(name, header.name) || *header.value) {
                continue; // the first of repeated names wins
            }
            std::string_view text;
            if (as_string(value, text)) {
                *header.value = text;
            } else if (!value.is_null()) {
                warnings.push_back("headers: " + std::string(header.name) +
                                   ": expected a string, got " + describe(value) + "; ignored");
            }
        }
    }
    for (const auto& url : {origin, referer, referrer}) {
        const auto host = url ? url_host(*url) : std::string_view{};
        if (!host.empty()) {
            ctx.source_host = host;
            break;
        }
    }
}

// Reads the columns of one row object; collects warnings, and the reason
// when the row must be rejected.
class RowReader {
  public:
    template <std::size_t N>
    RowReader(const EventColumn (&columns)[N], object row, std::string_view list, std::size_t index,
              const LineContext& ctx, std::vector<std::string>& warnings)
        : m_columns(columns), m_column_count(N), m_row(row), m_ctx(ctx), m_warnings(warnings),
          m_prefix(std::string(list) + "[" + std::to_string(index) + "]: ") {}

    const LineContext& context() const { return m_ctx; }

    const std::string& reason() const { return m_reason; }

    // A string column: NULL when missing, empty or not a string (warning).
    // fallback (a header default) applies when the key is missing or null.
    std::optional<std::string> text(std::string_view key,
                                    std::optional<std::string_view> fallback = std::nullopt) {
        std::string_view s;
        if (const auto v = field(key)) {
            if (!as_string(*v, s)) {
                warn(key, "expected a string, got " + describe(*v) + "; stored as NULL");
                return std::nullopt;
            }
        } else if (fallback) {
            s = *fallback;
        } else {
            return std::nullopt;
        }
        std::string value = clean(key, s);
        if (value.empty()) {
            return std::nullopt;
        }
        return value;
    }

    // A NOT NULL string column (an id): a non-string counts as missing.
    bool required_text(std::string_view key, std::string& out) {
        const auto v = field(key);
        std::string_view s;
        if (v && !as_string(*v, s)) {
            return reject("invalid " + std::string(key) + " " + describe(*v) + " (not a string)");
        }
        out = v ? clean(key, s) : std::string{};
        return !out.empty() || reject("missing " + std::string(key));
    }

    std::optional<std::int32_t> optional_int32(std::string_view key) {
        const auto v = field(key);
        std::int64_t value = 0;
        if (!v) {
            return std::nullopt;
        }
        const auto status = to_integer(*v, std::numeric_limits<std::int32_t>::min(),
                                       std::numeric_limits<std::int32_t>::max(), value);
        if (status != IntStatus::ok) {
            warn(key, describe(*v) + " is " + to_text(status) + "; stored as NULL");
            return std::nullopt;
        }
        return static_cast<std::int32_t>(value);
    }

    bool required_int32(std::string_view key, std::int32_t& out) {
        const auto v = field(key);
        if (!v) {
            return reject("missing " + std::string(key));
        }
        std::int64_t value = 0;
        const auto status = to_integer(*v, std::numeric_limits<std::int32_t>::min(),
                                       std::numeric_limits<std::int32_t>::max(), value);
        if (status != IntStatus::ok) {
            return reject("invalid " + std::string(key) + " " + describe(*v) + " (" +
                          to_text(status) + ")");
        }
        out = static_cast<std::int32_t>(value);
        return true;
    }

    // A NOT NULL DEFAULT 0 bigint counter: missing, null or invalid → 0.
    std::int64_t count(std::string_view key) {
        const auto v = field(key);
        std::int64_t value = 0;
        if (!v) {
            return 0;
        }
        const auto status = to_integer(*v, std::numeric_limits<std::int64_t>::min(),
                                       std::numeric_limits<std::int64_t>::max(), value);
        if (status != IntStatus::ok) {
            warn(key, describe(*v) + " is " + to_text(status) + "; stored as 0");
            return 0;
        }
        return value;
    }

    // A NOT NULL DEFAULT false boolean: missing or null → false.
    bool flag(std::string_view key) {
        const auto v = field(key);
        if (!v) {
            return false;
        }
        const auto value = to_bool(*v);
        if (!value) {
            warn(key, describe(*v) + " is not a boolean; stored as false");
        }
        return value.value_or(false);
    }

    // The row's own occurred_at, else the wrapper's received_at; never "now".
    bool occurred_at(std::int64_t& out) {
        const auto v = field("occurred_at");
        std::string_view s;
        if (v && !as_string(*v, s)) {
            return reject("invalid occurred_at " + describe(*v));
        }
        if (s.empty()) {
            if (!m_ctx.received_at_us) {
                return reject("missing occurred_at");
            }
            out = *m_ctx.received_at_us;
            return true;
        }
        const auto us = parse_timestamp(s, m_ctx.zone);
        if (!us) {
            return reject("invalid occurred_at " + describe(*v));
        }
        out = *us;
        return true;
    }

    // Kept as compact JSON when an object or array, secrets removed.
    std::optional<std::string> properties(std::string_view key) {
        const auto v = field(key);
        if (!v) {
            return std::nullopt;
        }
        if (!v->is_object() && !v->is_array()) {
            warn(key, describe(*v) + " is not an object or array; stored as NULL");
            return std::nullopt;
        }
        std::string json;
        bool nul_removed = false;
        append_value(json, *v, Redact::keys_and_params, nul_removed);
        if (nul_removed) {
            warn(key, "NUL characters removed");
        }
        return json;
    }

  private:
    // The value of key, or nullopt when it is missing or JSON null.
    std::optional<element> field(std::string_view key) const {
        element v;
        if (m_row.at_key(key).get(v) != SUCCESS || v.is_null()) {
            return std::nullopt;
        }
        return v;
    }

    // The column's varchar length (event_columns.def), or text_chars.
    std::size_t max_chars(std::string_view key) const {
        for (std::size_t i = 0; i < m_column_count; ++i) {
            if (m_columns[i].name == key) {
                return m_columns[i].length > 0 ? m_columns[i].length : text_chars;
            }
        }
        throw std::logic_error("events: no column " + std::string(key));
    }

    std::string clean(std::string_view key, std::string_view s) {
        const std::size_t max_chars = this->max_chars(key);
        std::string value{s};
        if (remove_nul(value)) {
            warn(key, "NUL characters removed");
        }
        if (truncate_chars(value, max_chars)) {
            warn(key, "truncated to " + std::to_string(max_chars) + " characters");
        }
        return value;
    }

    void warn(std::string_view key, const std::string& what) {
        m_warnings.push_back(m_prefix + std::string(key) + ": " + what);
    }

    bool reject(const std::string& what) {
        m_reason = m_prefix + what;
        return false;
    }

    const EventColumn* m_columns;
    std::size_t m_column_count;
    object m_row;
    const LineContext& m_ctx;
    std::vector<std::string>& m_warnings;
    std::string m_prefix;
    std::string m_reason;
};

// The optional columns, as their kind reads them (event_columns.def). The
// required ones (ids, occurred_at) read_row reads first: without them the
// row is rejected.
void read_field(RowReader&, std::string_view, event_kind::required_varchar, std::string&) {}

void read_field(RowReader&, std::string_view, event_kind::required_int4, std::int32_t&) {}

void read_field(RowReader&, std::string_view, event_kind::timestamp, std::int64_t&) {}

template <typename Kind>
void read_field(RowReader& r, std::string_view name, Kind, std::optional<std::string>& value) {
    value = r.text(name, r.context().header_default(name));
}

void read_field(RowReader& r, std::string_view name, event_kind::url,
                std::optional<std::string>& value) {
    value = r.text(name, r.context().header_default(name));
    std::string scratch;
    if (value && scrub_url(*value, split_url(*value), scratch) && value->empty()) {
        value.reset();
    }
}

void read_field(RowReader& r, std::string_view name, event_kind::jsonb,
                std::optional<std::string>& value) {
    value = r.properties(name);
}

void read_field(RowReader& r, std::string_view name, event_kind::int4,
                std::optional<std::int32_t>& value) {
    value = r.optional_int32(name);
}

void read_field(RowReader& r, std::string_view name, event_kind::required_int8,
                std::int64_t& value) {
    value = r.count(name);
}

void read_field(RowReader& r, std::string_view name, event_kind::required_bool, bool& value) {
    value = r.flag(name);
}

bool read_row(RowReader& r, SearchRow& row) {
    if (!r.required_text("search_id", row.search_id) || !r.occurred_at(row.occurred_at_us)) {
        return false;
    }
#define ANALYTICS_SEARCH_COLUMN(name, member, kind, length)                                        \
    read_field(r, #name, event_kind::kind{}, row.member);
#include <analytics/parse/event_columns.def>
    return true;
}

bool read_row(RowReader& r, ImpressionRow& row) {
    if (!r.required_text("search_id", row.search_id) ||
        !r.required_text("resource_id", row.resource_id) || !r.required_int32("rank", row.rank) ||
        !r.occurred_at(row.occurred_at_us)) {
        return false;
    }
#define ANALYTICS_IMPRESSION_COLUMN(name, member, kind, length)                                    \
    read_field(r, #name, event_kind::kind{}, row.member);
#include <analytics/parse/event_columns.def>
    return true;
}

bool read_row(RowReader& r, EventRow& row) {
    if (!r.required_text("event_id", row.event_id) ||
        !r.required_text("event_type", row.event_type) || !r.occurred_at(row.occurred_at_us)) {
        return false;
    }
#define ANALYTICS_EVENT_COLUMN(name, member, kind, length)                                         \
    read_field(r, #name, event_kind::kind{}, row.member);
#include <analytics/parse/event_columns.def>
    return true;
}

// One of the payload's lists: missing or null is empty, a non-array is
// ignored with a warning, each element is a row or a reject.
template <class Row>
void read_list(object payload, std::string_view list, const LineContext& ctx, BeaconBatch& out,
               std::vector<Row>& rows) {
    const std::string_view table = RowTable<Row>::name;
    element value;
    if (payload.at_key(list).get(value) != SUCCESS || value.is_null()) {
        return;
    }
    array items;
    if (value.get_array().get(items) != SUCCESS) {
        out.warnings.push_back(std::string(list) + ": expected an array, got " + describe(value) +
                               "; ignored");
        return;
    }
    std::size_t index = 0;
    for (element item : items) {
        object o;
        if (item.get_object().get(o) != SUCCESS) {
            out.rejects.push_back(
                {std::string(table), index,
                 std::string(list) + "[" + std::to_string(index) + "]: not a JSON object"});
        } else {
            RowReader reader{RowTable<Row>::columns, o, list, index, ctx, out.warnings};
            Row row;
            if (read_row(reader, row)) {
                rows.push_back(std::move(row));
            } else {
                out.rejects.push_back({std::string(table), index, reader.reason()});
            }
        }
        ++index;
    }
}

bool has_key(object o, std::string_view key) {
    element v;
    return o.at_key(key).get(v) == SUCCESS;
}

bool is_blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

} // namespace

struct EventsParser::Impl {
    explicit Impl(const time::LocalZone& z)
        : zone(z), line_parser(max_document_bytes), body_parser(max_document_bytes) {}

    // Parses text with parser into an object; false with a reason otherwise.
    static bool parse_object(simdjson::dom::parser& parser, JsonLine& json, std::string_view text,
                             object& o, std::string& reason, std::string_view what) {
        element doc;
        if (!json.parse(parser, text, doc, reason)) {
            reason.insert(0, what);
            return false;
        }
        if (doc.get_object().get(o) != SUCCESS) {
            reason = std::string(what) + "payload is not a JSON object";
            return false;
        }
        return true;
    }

    bool parse(std::string_view line, BeaconBatch& out, std::string& reason) {
        object root;
        if (!parse_object(line_parser, line_json, line, root, reason, "")) {
            return false;
        }
        LineContext ctx{zone};
        object payload = root;
        if (has_key(root, "body") || has_key(root, "headers")) {
            element headers, received, body;
            if (root.at_key("headers").get(headers) == SUCCESS) {
                read_headers(headers, ctx, out.warnings);
            }
            if (root.at_key("received_at").get(received) == SUCCESS && !received.is_null()) {
                std::string_view s;
                ctx.received_at_us =
                    as_string(received, s) ? parse_timestamp(s, zone) : std::nullopt;
                if (!ctx.received_at_us) {
                    out.warnings.push_back("received_at: " + describe(received) +
                                           " is not a valid timestamp; ignored");
                }
            }
            if (root.at_key("body").get(body) != SUCCESS || body.is_null()) {
                reason = "wrapper without a body";
                return false;
            }
            std::string_view text;
            if (as_string(body, text)) {
                if (is_blank(text)) { // the endpoint's "ignored: empty"
                    out.warnings.push_back("body: empty; nothing to store");
                    return true;
                }
                if (!parse_object(body_parser, body_json, text, payload, reason, "body: ")) {
                    return false;
                }
            } else if (body.get_object().get(payload) != SUCCESS) {
                reason = "body: payload is not a JSON object";
                return false;
            }
        }
        read_list(payload, "searches", ctx, out, out.searches);
        read_list(payload, "impressions", ctx, out, out.impressions);
        read_list(payload, "events", ctx, out, out.events);
        return true;
    }

    time::LocalZone zone;
    simdjson::dom::parser line_parser; // the line, whose views (headers) outlive the body
    simdjson::dom::parser body_parser; // a body sent as a JSON string
    JsonLine line_json;
    JsonLine body_json;
};

EventsParser::EventsParser(const time::LocalZone& zone) : m_impl(std::make_unique<Impl>(zone)) {}

EventsParser::~EventsParser() = default;

bool EventsParser::parse(std::string_view line, BeaconBatch& out, std::string& reason) {
    out.clear();
    reason.clear();
    try {
        if (m_impl->parse(line, out, reason)) {
            return true;
        }
    } catch (const std::exception& e) { // allocation failure: the line fails, the run goes on
        reason = std::string("cannot parse: ") + e.what();
    }
    out.clear();
    return false;
}

} // namespace analytics::parse
