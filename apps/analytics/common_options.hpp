#pragma once

// Options that several commands share (osmium-tool's option mixins): each
// helper adds its option with the same flags, value type and checks, and
// turns what was given into a typed value. A command inherits the ones it
// takes, next to Command.

#include <analytics/config/config.hpp>

#include <CLI/CLI.hpp>
#include <date/date.h>

#include <cstddef>
#include <optional>
#include <string>

namespace analytics::app {

// -n,--dry-run; the description says what this command would report.
class WithDryRun {
  protected:
    void add_dry_run_option(CLI::App& app, const std::string& description);

    bool dry_run() const noexcept { return m_dry_run; }

  private:
    bool m_dry_run = false;
};

// --batch-size N: rows per committed batch, else the configuration's.
class WithBatchSize {
  protected:
    void add_batch_size_option(CLI::App& app);

    std::size_t batch_size(const config::Config& config) const noexcept;

  private:
    int m_batch_size = 0; // 0: not given
};

// --from DATE / --to DATE: local days YYYY-MM-DD, --to inclusive. The
// descriptions say what the range means for this command; validate() calls
// parse_days().
class WithDayRange {
  protected:
    void add_day_range_options(CLI::App& app, const std::string& from_description,
                               const std::string& to_description);

    // Parses the days given; throws UsageError for a text that is not a
    // calendar day, or for --to before --from.
    void parse_days();

    bool from_given() const noexcept { return !m_from_text.empty(); }

    bool to_given() const noexcept { return !m_to_text.empty(); }

    // As typed, for a command that reads more than days (report: -7d).
    const std::string& from_text() const noexcept { return m_from_text; }

    const std::string& to_text() const noexcept { return m_to_text; }

    // The parsed days as YYYY-MM-DD, "" when not given (after parse_days()).
    std::string from_day() const;
    std::string to_day() const;

  private:
    std::string m_from_text;
    std::string m_to_text;
    std::optional<date::sys_days> m_from;
    std::optional<date::sys_days> m_to;
};

} // namespace analytics::app
