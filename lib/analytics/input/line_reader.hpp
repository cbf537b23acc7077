#pragma once

// Reads one input (a file, a .gz file — also several concatenated gzip
// members — or stdin) line by line through one large buffer: memory stays
// flat whatever the input size.
//
// Live mode is for inputs still being written (a pipe, a followed log):
// reads never wait longer than asked, so the caller can commit on a clock,
// and a file's last line is returned only once its newline is written.

#include <analytics/util/byte_buffer.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace analytics::input {

class LineReader {
  public:
    // Lines longer than this are skipped and reported.
    static constexpr std::size_t max_line_bytes = 16u << 20;

    enum class Mode {
        whole, // read to the end of what is there
        live,  // the input may grow: see poll()
    };

    // What poll() found.
    enum class Next { line, idle, end };

    // "-" reads stdin. Throws InputError when the input cannot be opened.
    explicit LineReader(const std::string& path, Mode mode = Mode::whole);
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    // The next line, without its "\n" or "\r\n". Valid until the next call.
    // In live mode, waits as long as it takes.
    bool next(std::string_view& line);

    // The next line, or idle when none is complete after waiting up to
    // wait_ms for a pipe (a regular file in live mode is idle at its current
    // end: it may grow). End at the end of a pipe, or of a whole-mode input.
    Next poll(std::string_view& line, int wait_ms);

    // True when the input is read as a stream (not a regular file): a pipe,
    // a terminal, a socket.
    static bool is_stream(const std::string& path);

    // 1-based number of the line last returned.
    std::uint64_t line_number() const noexcept { return m_line_number; }

    // Uncompressed bytes consumed up to the end of the last line returned.
    std::uint64_t offset() const noexcept { return m_offset; }

    // True when the line last returned was cut at max_line_bytes (its rest skipped).
    bool line_too_long() const noexcept { return m_too_long; }

    // Set when reading stopped early (truncated gzip, I/O error).
    const std::string& error() const noexcept { return m_error; }

    bool compressed() const noexcept { return m_compressed; }

    // Raw (compressed) bytes read from the file so far, for progress reports.
    std::uint64_t raw_offset() const noexcept;

    // True when the line last returned ended the input without a newline:
    // in a file still being written, it may be incomplete.
    bool unterminated() const noexcept { return m_unterminated; }

  private:
    bool fill();
    // Live mode's fill: read() with poll(), gzip inflated here.
    enum class Fill { data, idle, end };
    Fill fill_live(int wait_ms);
    bool inflate_into(std::size_t room);
    std::string_view emit(std::size_t line_end, std::size_t consumed);

    void* m_file = nullptr; // gzFile (whole mode)
    Mode m_mode = Mode::whole;
    int m_fd = -1;             // live mode
    bool m_regular = false;    // live mode: a regular file (idle at its end)
    void* m_inflate = nullptr; // z_stream of a live gzip input
    ByteBuffer m_raw;          // live mode: read, not yet inflated
    std::size_t m_raw_begin = 0;
    std::uint64_t m_raw_total = 0; // raw bytes read (live mode)
    bool m_in_member = false;      // inside a gzip member (live mode)
    std::string m_path;
    ByteBuffer m_buffer;     // lines being read (uninitialised: see byte_buffer.hpp)
    std::size_t m_begin = 0; // start of unread data
    std::size_t m_end = 0;   // end of valid data
    bool m_eof = false;
    bool m_too_long = false;
    bool m_unterminated = false;
    bool m_compressed = false;
    bool m_probed = false;
    std::uint64_t m_skipped = 0; // bytes of an over-long line not kept
    std::uint64_t m_line_number = 0;
    std::uint64_t m_offset = 0;
    std::string m_error;
};

} // namespace analytics::input
