#include <analytics/enrich/enricher.hpp>
#include <analytics/enrich/rejected_text.hpp>
#include <analytics/util/privacy.hpp>
#include <analytics/util/text.hpp>

#include <re2/re2.h>

#include <algorithm>

namespace analytics::enrich {

namespace {

constexpr std::string_view redacted = "REDACTED";

// RE2: linear time on any line.
const RE2& ip_address() {
    static const RE2 re{
        R"((?i)(\b(?:\d{1,3}\.){3}\d{1,3}\b|(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|)"
        R"((?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?))"};
    return re;
}

// A CLF line: "client ident user [time] …"; the user is the third field.
const RE2& clf_user() {
    static const RE2 re{R"(^(\S+ \S+ )([^\s\[]+)( \[))"};
    return re;
}

// Replaces each match of re's first group in text by what replace returns.
template <typename Fn>
void replace_matches(std::string& text, const RE2& re, Fn&& replace) {
    std::string out;
    re2::StringPiece input(text);
    re2::StringPiece group;
    std::size_t copied = 0;
    while (RE2::FindAndConsume(&input, re, &group)) {
        const auto begin = static_cast<std::size_t>(group.data() - text.data());
        out.append(text, copied, begin - copied);
        out += replace(std::string_view(group.data(), group.size()));
        copied = begin + group.size();
        if (group.empty()) {
            if (input.empty()) {
                break;
            }
            input.remove_prefix(1); // an empty match: step over one byte
        }
    }
    if (copied == 0 && out.empty()) {
        return;
    }
    out.append(text, copied, std::string::npos);
    text.swap(out);
}

// "key":"value" → "key":"REDACTED" for one JSON property name, anywhere.
void redact_json_property(std::string& text, std::string_view key) {
    const std::string quoted = "\"" + std::string(key) + "\"";
    std::size_t pos = 0;
    while ((pos = text.find(quoted, pos)) != std::string::npos) {
        std::size_t value = pos + quoted.size();
        while (value < text.size() && (text[value] == ' ' || text[value] == ':')) {
            ++value;
        }
        if (value >= text.size() || text[value] != '"' || value == pos + quoted.size()) {
            pos += quoted.size();
            continue;
        }
        std::size_t end = value + 1;
        while (end < text.size() && text[end] != '"') {
            end += text[end] == '\\' ? 2 : 1;
        }
        end = std::min(end, text.size());
        text.replace(value + 1, end - value - 1, redacted);
        pos = value + 1 + redacted.size();
    }
}

} // namespace

RejectedText::RejectedText(const config::Config& config) {
    const auto& privacy = config.data_privacy;
    m_anonymize = privacy.anonymize_ip;
    for (const std::string& field : privacy.keys_blacklist) {
        m_json_keys.push_back(field);
        if (field == "client_ip") {
            m_ip = true;
            for (const char* key : {"client.address", "ip_address", "ip"}) {
                m_json_keys.emplace_back(key);
            }
        } else if (field == "user_id" || field == "user_name") {
            m_user = true;
            for (const char* key : {"enduser.id", "enduser.uuid", "user", "username"}) {
                m_json_keys.emplace_back(key);
            }
        }
    }
    m_ip = m_ip || m_anonymize;
}

std::string RejectedText::operator()(std::string_view raw) const {
    std::string text;
    repair_utf8(raw.substr(0, rejected_text_chars * 4), text);
    cut_utf8(text, rejected_text_chars);
    std::replace(text.begin(), text.end(), '\0', ' ');
    redact_secrets(text);
    if (m_user) {
        std::string user;
        if (RE2::PartialMatch(text, clf_user(), nullptr, &user) && user != "-") {
            RE2::Replace(&text, clf_user(), "\\1REDACTED\\3");
        }
    }
    for (const std::string& key : m_json_keys) {
        if (text.find(key) != std::string::npos) {
            redact_json_property(text, key);
        }
    }
    if (m_ip) {
        const bool remove = !m_anonymize;
        replace_matches(text, ip_address(), [remove](std::string_view ip) {
            return remove ? std::string(redacted) : anonymize_ip(ip);
        });
    }
    return text;
}

} // namespace analytics::enrich
