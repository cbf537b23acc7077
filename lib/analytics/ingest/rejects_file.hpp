#pragma once

// The --rejects file of `ingest`: every rejected (or set aside) line as one
// JSON object per line: input, line number, reason, text.

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace analytics::ingest {

// "stdin" for "-", else the path: how an input is named in messages.
std::string input_label(const std::string& path);

class RejectsFile {
  public:
    // An empty path writes nothing; "-" writes on stdout. Throws InputError
    // when the file cannot be opened.
    explicit RejectsFile(const std::string& path);
    ~RejectsFile();

    RejectsFile(const RejectsFile&) = delete;
    RejectsFile& operator=(const RejectsFile&) = delete;

    void write(const std::string& input, std::uint64_t line, const std::string& reason,
               std::string_view text);
    void close();

  private:
    std::FILE* m_file = nullptr;
    bool m_owned = false;
    std::string m_buffer;
};

} // namespace analytics::ingest
