#include <analytics/ingest/rejects_file.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/json_text.hpp>
#include <analytics/util/text.hpp>

#include <cerrno>
#include <cstring>

namespace analytics::ingest {

std::string input_label(const std::string& path) {
    return path == "-" ? "stdin" : path;
}

RejectsFile::RejectsFile(const std::string& path) {
    if (path.empty()) {
        return;
    }
    m_file = path == "-" ? stdout : std::fopen(path.c_str(), "w");
    if (m_file == nullptr) {
        throw OutputError("cannot write " + path + ": " + std::strerror(errno));
    }
    m_owned = path != "-";
}

RejectsFile::~RejectsFile() {
    if (m_owned && m_file != nullptr) {
        std::fclose(m_file);
    }
}

void RejectsFile::write(const std::string& input, std::uint64_t line, const std::string& reason,
                        std::string_view text) {
    if (m_file == nullptr) {
        return;
    }
    m_buffer.clear();
    m_buffer.append("{\"input\":");
    append_json_string(m_buffer, input_label(input));
    m_buffer.append(",\"line\":");
    append_int(m_buffer, static_cast<std::int64_t>(line));
    m_buffer.append(",\"reason\":");
    append_json_string(m_buffer, reason);
    m_buffer.append(",\"text\":");
    // The pipeline passes the text as enrich::RejectedText keeps it (cut,
    // valid UTF-8, redacted); the check keeps the file valid JSON regardless.
    if (is_valid_utf8(text)) {
        append_json_string(m_buffer, text);
    } else {
        std::string repaired;
        repair_utf8(text, repaired);
        append_json_string(m_buffer, repaired);
    }
    m_buffer.append("}\n");
    if (std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size()) {
        throw OutputError("cannot write the rejects file: " + std::string(std::strerror(errno)));
    }
}

void RejectsFile::close() {
    if (m_file != nullptr && std::fflush(m_file) != 0) {
        throw OutputError("cannot write the rejects file: " + std::string(std::strerror(errno)));
    }
}

} // namespace analytics::ingest
