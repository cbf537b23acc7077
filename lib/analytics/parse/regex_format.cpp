// The `regex` format: any RE2 pattern with named groups, anchored at the
// start of the line as the old tool's re.match. Group names are the old
// tool's (georchestra-analytics-cli.md §2.2); "-" means absent.

#include <analytics/config/config.hpp>
#include <analytics/parse/access_parser.hpp>
#include <analytics/time/timestamp.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/text.hpp>

#include <re2/re2.h>

#include <map>

namespace analytics::parse {

namespace {

enum class Group {
    timestamp,
    path,
    app_path,
    app_id,
    server_address,
    client_ip,
    ip,
    method,
    user,
    status_code,
    response_size,
    response_time,
    user_agent,
    referrer,
    ignored
};

Group group_of(const std::string& name) {
    static const std::map<std::string, Group> groups = {
        {"timestamp", Group::timestamp},
        {"path", Group::path},
        {"app_path", Group::app_path},
        {"app_id", Group::app_id},
        {"server_address", Group::server_address},
        {"client_ip", Group::client_ip},
        {"ip", Group::ip},
        {"method", Group::method},
        {"user", Group::user},
        {"status_code", Group::status_code},
        {"response_size", Group::response_size},
        {"response_time", Group::response_time},
        {"user_agent", Group::user_agent},
        {"referrer", Group::referrer},
        {"referer", Group::referrer},
    };
    const auto it = groups.find(name);
    return it == groups.end() ? Group::ignored : it->second;
}

class RegexParser final : public AccessParser {
  public:
    // 'key' names the pattern's configuration key in messages; without
    // 'require_timestamp' a line may leave the time to the record it completes.
    RegexParser(const std::string& pattern, std::string unit, const time::LocalZone& zone,
                std::string key, bool require_timestamp)
        : m_re(pattern, RE2::Quiet), m_zone(zone), m_unit(std::move(unit)), m_key(std::move(key)),
          m_require_timestamp(require_timestamp) {
        if (!m_re.ok()) {
            throw ConfigError(m_key + ": " + m_re.error());
        }
        const int count = m_re.NumberOfCapturingGroups();
        m_groups.assign(static_cast<std::size_t>(count) + 1, Group::ignored);
        for (const auto& [name, index] : m_re.NamedCapturingGroups()) {
            m_groups[static_cast<std::size_t>(index)] = group_of(name);
        }
        m_has_client_ip = false;
        for (Group g : m_groups) {
            m_has_client_ip = m_has_client_ip || g == Group::client_ip;
        }
        m_submatches.resize(m_groups.size());
    }

    bool parse(std::string_view line, ParsedBatch& out, std::string& reason) override {
        out.reset();
        const re2::StringPiece text(line.data(), line.size());
        if (!m_re.Match(text, 0, text.size(), RE2::ANCHOR_START, m_submatches.data(),
                        static_cast<int>(m_submatches.size()))) {
            reason = "does not match " + m_key;
            return false;
        }
        ParsedRecord& item = out.add();
        auto& r = item.record;
        // As geOrchestra's analytics-cli marks the rows of text logs.
        r.context_data.set_string("source_type", "access_log_file");
        bool have_time = false;
        for (std::size_t i = 1; i < m_groups.size(); ++i) {
            const re2::StringPiece& piece = m_submatches[i];
            if (piece.data() == nullptr) {
                continue;
            }
            const std::string_view value(piece.data(), piece.size());
            if (value == "-" || value.empty()) {
                continue;
            }
            switch (m_groups[i]) {
            case Group::timestamp: {
                const auto ts = time::parse_any_time(value, m_zone);
                if (!ts) {
                    out.drop_last();
                    reason = "invalid timestamp \"" + std::string(value.substr(0, 64)) + "\"";
                    return false;
                }
                r.ts_us = *ts;
                have_time = true;
                break;
            }
            case Group::path:
                item.extras.target.assign(value.data(), value.size());
                break;
            case Group::app_path:
                item.extras.app_path.assign(value.data(), value.size());
                break;
            case Group::app_id:
                item.extras.app_id.assign(value.data(), value.size());
                break;
            case Group::server_address:
                r.server_address.set(value);
                break;
            case Group::client_ip:
                r.client_ip.set(value);
                break;
            case Group::ip:
                // The old default names the address group `ip` and so never
                // filled client_ip; the intent was plainly the client address.
                if (!m_has_client_ip) {
                    r.client_ip.set(value);
                }
                break;
            case Group::method:
                r.request_method.set(value);
                break;
            case Group::user:
                item.extras.user_field.assign(value.data(), value.size());
                break;
            case Group::status_code: {
                std::int32_t status = 0;
                if (parse_integer(value, status)) {
                    r.status_code.set(status);
                }
                break;
            }
            case Group::response_size: {
                std::int64_t size = 0;
                if (parse_integer(value, size)) {
                    r.response_size.set(size);
                }
                break;
            }
            case Group::response_time: {
                std::int32_t ms = 0;
                if (parse_response_time(value, m_unit, ms) && ms > 0) {
                    r.response_time.set(ms); // 0 stays NULL, as the old tool
                }
                break;
            }
            case Group::user_agent:
                r.user_agent.set(value);
                break;
            case Group::referrer:
                r.referrer.set(value);
                break;
            case Group::ignored:
                break;
            }
        }
        if (!have_time && m_require_timestamp) {
            out.drop_last();
            reason = "no timestamp group matched";
            return false;
        }
        r.message.set(line);
        return true;
    }

  private:
    RE2 m_re;
    const time::LocalZone& m_zone;
    std::string m_unit;
    std::string m_key;
    bool m_require_timestamp = true;
    std::vector<Group> m_groups;
    std::vector<re2::StringPiece> m_submatches;
    bool m_has_client_ip = false;
};

} // namespace

std::unique_ptr<AccessParser> make_regex_parser(const std::string& pattern,
                                                const config::Config& config,
                                                const time::LocalZone& zone) {
    return std::make_unique<RegexParser>(pattern, config.parsers.text_message.response_time_unit,
                                         zone, "parsers.text_message.regex", true);
}

std::unique_ptr<AccessParser> make_message_regex_parser(const std::string& pattern,
                                                        const time::LocalZone& zone) {
    // Netty's access log, the message this is for, writes milliseconds.
    return std::make_unique<RegexParser>(pattern, "ms", zone,
                                         "parsers.opentelemetry.text_message_parser.regex", false);
}

} // namespace analytics::parse
