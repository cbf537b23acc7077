// Apache/nginx access logs (common, combined) and the geOrchestra variant,
// by a hand-written scanner: the hot path of text ingestion has no regex.
//
//   host ident user [time] "METHOD target PROTOCOL" status bytes
//   combined:    ... "referer" "user-agent" [extra fields...]
//   georchestra: combined with user "name|org|ROLE_A,ROLE_B" and a trailing
//                response time ("18ms"); extra quoted fields in between.

#include <analytics/config/config.hpp>
#include <analytics/parse/access_parser.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/byte_scan.hpp>
#include <analytics/util/text.hpp>

#include <charconv>

namespace analytics::parse {

namespace {

class Scanner {
  public:
    explicit Scanner(std::string_view text) : m_text(text) {}

    bool at_end() const noexcept { return m_pos >= m_text.size(); }

    void skip_spaces() noexcept {
        while (m_pos < m_text.size() && m_text[m_pos] == ' ') {
            ++m_pos;
        }
    }

    // A space-delimited token.
    bool token(std::string_view& out) noexcept {
        skip_spaces();
        const std::size_t start = m_pos;
        m_pos = find_either(m_text, start, ' ', ' ');
        out = m_text.substr(start, m_pos - start);
        return m_pos > start;
    }

    // The user field runs to the " [" that opens the time: it may hold spaces
    // ("Project Steering Committee").
    bool user_field(std::string_view& out) noexcept {
        skip_spaces();
        const std::size_t end = m_text.find(" [", m_pos);
        if (end == std::string_view::npos) {
            return false;
        }
        out = m_text.substr(m_pos, end - m_pos);
        m_pos = end;
        return !out.empty();
    }

    bool bracketed(std::string_view& out) noexcept {
        skip_spaces();
        if (m_pos >= m_text.size() || m_text[m_pos] != '[') {
            return false;
        }
        const std::size_t end = m_text.find(']', m_pos + 1);
        if (end == std::string_view::npos) {
            return false;
        }
        out = m_text.substr(m_pos + 1, end - m_pos - 1);
        m_pos = end + 1;
        return true;
    }

    // A double-quoted field; backslash escapes (Apache \" and nginx \x22) stay as written.
    bool quoted(std::string_view& out) noexcept {
        skip_spaces();
        if (m_pos >= m_text.size() || m_text[m_pos] != '"') {
            return false;
        }
        for (std::size_t i = find_either(m_text, m_pos + 1, '"', '\\'); i < m_text.size();
             i = find_either(m_text, i + 1, '"', '\\')) {
            if (m_text[i] == '"') {
                out = m_text.substr(m_pos + 1, i - m_pos - 1);
                m_pos = i + 1;
                return true;
            }
            if (i + 1 == m_text.size()) {
                break; // a final backslash escapes nothing, and there is no closing quote
            }
            ++i; // the escaped character, whatever it is
        }
        return false;
    }

    bool peek_quote() noexcept {
        skip_spaces();
        return m_pos < m_text.size() && m_text[m_pos] == '"';
    }

    std::string_view rest() const noexcept { return m_text.substr(std::min(m_pos, m_text.size())); }

  private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

bool is_method_char(char c) {
    return (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

class ClfParser final : public AccessParser {
  public:
    ClfParser(TextVariant variant, const config::Config& config)
        : m_variant(variant), m_default_unit(config.parsers.text_message.response_time_unit),
          m_keep_line(config.ingest.store_message) {}

    bool parse(std::string_view line, ParsedBatch& out, std::string& reason) override {
        out.reset();
        Scanner scan(line);
        std::string_view host, ident, user, time, request, status, bytes;
        if (!scan.token(host) || !scan.token(ident)) {
            reason = "not a CLF line: too few fields";
            return false;
        }
        if (!scan.user_field(user)) {
            reason = "not a CLF line: no [time] field";
            return false;
        }
        if (!scan.bracketed(time)) {
            reason = "not a CLF line: unterminated [time] field";
            return false;
        }
        const auto ts = time::parse_clf_time(time);
        if (!ts) {
            reason = "invalid timestamp " + quoted_value(time);
            return false;
        }
        if (!scan.quoted(request)) {
            reason = "not a CLF line: no quoted request";
            return false;
        }
        if (!scan.token(status) || !scan.token(bytes)) {
            reason = "not a CLF line: no status and size";
            return false;
        }
        ParsedRecord& item = out.add();
        auto& r = item.record;
        // As geOrchestra's analytics-cli marks the rows of text logs.
        r.context_data.set_string("source_type", "access_log_file");
        auto& extras = item.extras;
        r.ts_us = *ts;
        if (m_keep_line) { // else the enricher would drop it: not copied
            r.message.set(line);
        }
        if (!split_request(request, r, extras)) {
            out.drop_last();
            reason = "malformed request line " + quoted_value(request);
            return false;
        }
        std::int32_t status_code = 0;
        if (!parse_integer(status, status_code)) {
            out.drop_last();
            reason = "invalid status code " + quoted_value(status);
            return false;
        }
        r.status_code.set(status_code);
        std::int64_t size = 0;
        if (bytes != "-") {
            if (!parse_integer(bytes, size)) {
                out.drop_last();
                reason = "invalid response size " + quoted_value(bytes);
                return false;
            }
            r.response_size.set(size);
        }
        if (host != "-") {
            r.client_ip.set(host);
        }
        if (m_variant == TextVariant::georchestra) {
            extras.user_field.assign(user.data(), user.size());
        } else if (user != "-") {
            r.user_id.set(user);
            r.user_name.set(user);
        }
        if (m_variant == TextVariant::common) {
            return true;
        }
        std::string_view referrer, agent;
        if (scan.quoted(referrer) && scan.quoted(agent)) {
            if (referrer != "-") {
                r.referrer.set(referrer);
            }
            if (agent != "-") {
                r.user_agent.set(agent);
            }
            read_trailing_response_time(scan.rest(), r);
        } else if (m_variant == TextVariant::combined && !scan.at_end()) {
            // A combined line must carry referer and user agent.
            out.drop_last();
            reason = "not a combined line: no quoted referer and user agent";
            return false;
        }
        return true;
    }

  private:
    static bool split_request(std::string_view request, record::AccessRecord& r,
                              record::RequestExtras& extras) {
        const std::size_t sp1 = request.find(' ');
        if (sp1 == std::string_view::npos || sp1 == 0 || sp1 > 16) {
            return false;
        }
        const std::string_view method = request.substr(0, sp1);
        for (char c : method) {
            if (!is_method_char(c)) {
                return false;
            }
        }
        std::string_view target = request.substr(sp1 + 1);
        const std::size_t sp2 = target.rfind(' ');
        if (sp2 != std::string_view::npos && target.substr(sp2 + 1, 5) == "HTTP/") {
            target = target.substr(0, sp2);
        }
        if (target.empty() ||
            (target[0] != '/' && target.find("://") == std::string_view::npos && target != "*")) {
            return false;
        }
        r.request_method.set(method);
        extras.target.assign(target.data(), target.size());
        return true;
    }

    // The last field, when it reads as a duration: "18ms", "0.626", "1.2s".
    void read_trailing_response_time(std::string_view rest, record::AccessRecord& r) const {
        while (!rest.empty() && rest.back() == ' ') {
            rest.remove_suffix(1);
        }
        const std::size_t space = rest.rfind(' ');
        const std::string_view last =
            space == std::string_view::npos ? rest : rest.substr(space + 1);
        std::int32_t ms = 0;
        if (!last.empty() && parse_response_time(last, m_default_unit, ms)) {
            r.response_time.set(ms);
        }
    }

    TextVariant m_variant;
    std::string m_default_unit;
    bool m_keep_line; // ingest.store_message
};

} // namespace

bool parse_response_time(std::string_view text, std::string_view default_unit, std::int32_t& ms) {
    std::string_view unit = default_unit;
    std::string_view number = text;
    std::size_t end = 0;
    while (end < number.size() &&
           ((number[end] >= '0' && number[end] <= '9') || number[end] == '.')) {
        ++end;
    }
    if (end == 0) {
        return false;
    }
    const std::string_view suffix = number.substr(end);
    number = number.substr(0, end);
    if (!suffix.empty()) {
        if (suffix != "ms" && suffix != "s" && suffix != "us" && suffix != "\xC2\xB5s") {
            return false;
        }
        unit = suffix == "\xC2\xB5s" ? "us" : suffix;
    } else if (number.find('.') != std::string_view::npos && default_unit == "ms") {
        unit = "s"; // nginx $request_time: seconds, always with a decimal point
    }
    double value = 0;
    const auto result = std::from_chars(number.data(), number.data() + number.size(), value);
    if (result.ec != std::errc{} || result.ptr != number.data() + number.size()) {
        return false;
    }
    if (unit == "s") {
        value *= 1000.0;
    } else if (unit == "us") {
        value /= 1000.0;
    }
    if (!(value >= 0) || value > 2147483647.0) {
        return false;
    }
    ms = static_cast<std::int32_t>(value); // truncation, as the old tool
    return true;
}

std::unique_ptr<AccessParser> make_clf_parser(TextVariant variant, const config::Config& config) {
    return std::make_unique<ClfParser>(variant, config);
}

} // namespace analytics::parse
