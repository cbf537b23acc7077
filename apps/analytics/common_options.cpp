#include "common_options.hpp"

#include <analytics/util/errors.hpp>

#include <cstdio>

namespace analytics::app {

namespace {

// "YYYY-MM-DD" (month and day of one or two digits), a real calendar day.
date::sys_days parse_day(const std::string& text, const std::string& option) {
    int year = 0;
    unsigned month = 0, day = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &tail) == 3) {
        const date::year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
        if (ymd.ok()) {
            return date::sys_days{ymd};
        }
    }
    throw UsageError(option + " expects a date YYYY-MM-DD, got \"" + text + "\"");
}

std::string format_day(const std::optional<date::sys_days>& day) {
    return day ? date::format("%F", *day) : std::string{};
}

} // namespace

void WithDryRun::add_dry_run_option(CLI::App& app, const std::string& description) {
    app.add_flag("-n,--dry-run", m_dry_run, description);
}

void WithBatchSize::add_batch_size_option(CLI::App& app) {
    app.add_option("--batch-size", m_batch_size,
                   "Rows per committed batch, which also ends at 16 MiB (default: config "
                   "performance.batch_size)")
        ->check(CLI::Range(1, 10'000'000))
        ->type_name("N");
}

std::size_t WithBatchSize::batch_size(const config::Config& config) const noexcept {
    return static_cast<std::size_t>(m_batch_size > 0 ? m_batch_size
                                                     : config.performance.batch_size);
}

void WithDayRange::add_day_range_options(CLI::App& app, const std::string& from_description,
                                         const std::string& to_description) {
    app.add_option("--from", m_from_text, from_description)->type_name("DATE");
    app.add_option("--to", m_to_text, to_description)->type_name("DATE");
}

void WithDayRange::parse_days() {
    m_from.reset();
    m_to.reset();
    if (from_given()) {
        m_from = parse_day(m_from_text, "--from");
    }
    if (to_given()) {
        m_to = parse_day(m_to_text, "--to");
    }
    if (m_from && m_to && *m_to < *m_from) {
        throw UsageError("--to " + to_day() + " is before --from " + from_day());
    }
}

std::string WithDayRange::from_day() const {
    return format_day(m_from);
}

std::string WithDayRange::to_day() const {
    return format_day(m_to);
}

} // namespace analytics::app
