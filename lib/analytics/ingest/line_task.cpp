#include <analytics/ingest/line_task.hpp>
#include <analytics/ingest/record_id.hpp>
#include <analytics/util/text.hpp>

#include <cstring>
#include <mutex>
#include <stdexcept>

namespace analytics::ingest {

LineWorker::LineWorker(const LineSettings& settings)
    : m_settings(settings), m_zone(settings.config->timezone) {}

void LineWorker::use(Format format) {
    if (format == Format::events) {
        if (!m_events) {
            m_events = std::make_unique<parse::EventsParser>(m_utc);
        }
        return;
    }
    if (m_parsers.count(format) != 0) {
        return;
    }
    const config::Config& config = *m_settings.config;
    std::unique_ptr<parse::AccessParser> parser;
    switch (format) {
    case Format::otel:
        parser =
            parse::make_otel_parser(m_zone, config.parsers.otel_text_message_parser.active_regex());
        break;
    case Format::otlp:
        parser = parse::make_otlp_parser();
        break;
    case Format::combined:
        parser = parse::make_clf_parser(parse::TextVariant::combined, config);
        break;
    case Format::common:
        parser = parse::make_clf_parser(parse::TextVariant::common, config);
        break;
    case Format::georchestra:
        parser = parse::make_clf_parser(parse::TextVariant::georchestra, config);
        break;
    case Format::regex:
        parser = parse::make_regex_parser(config.parsers.text_message.regex, config, m_zone);
        break;
    case Format::api_json:
        parser = parse::make_api_json_parser(m_utc);
        break;
    case Format::events:
        break; // above
    }
    if (!m_builder) {
        m_builder = std::make_unique<RecordBuilder>(config, m_settings.extras);
        if (m_settings.salts) {
            m_builder->set_visitor_salts(m_zone, m_settings.salts);
        }
    }
    m_parsers.emplace(format, std::move(parser));
}

void LineWorker::prepare(LineTask& task, Format format) {
    task.repaired = false;
    std::string_view line = task.line;
    const bool blank = trim(line).empty();
    if (task.replay && (task.too_long || blank || format == Format::events)) {
        task.outcome = LineTask::Outcome::skipped;
        return;
    }
    if (blank) {
        task.outcome = LineTask::Outcome::blank;
        return;
    }
    if (task.too_long) {
        task.outcome = LineTask::Outcome::too_long;
        return;
    }
    if (std::memchr(line.data(), '\0', line.size()) != nullptr) {
        task.outcome = task.replay ? LineTask::Outcome::skipped : LineTask::Outcome::nul;
        return;
    }
    if (!is_valid_utf8(line)) {
        repair_utf8(line, task.repaired_text);
        task.line = task.repaired_text;
        task.repaired = true;
    }
    use(format);
    if (format == Format::events) {
        task.outcome = m_events->parse(task.line, task.beacon, task.reason)
                           ? LineTask::Outcome::beacon
                           : LineTask::Outcome::unparsed;
        return;
    }
    prepare_access(task, *m_parsers.at(format));
}

void LineWorker::prepare_access(LineTask& task, parse::AccessParser& parser) {
    const RecordSink* encoder = m_settings.encoder;
    task.records = 0;
    parse::ParsedBatch& batch = encoder != nullptr ? m_batch : task.batch;
    if (!parser.parse(task.line, batch, task.reason)) {
        task.outcome = task.replay ? LineTask::Outcome::skipped : LineTask::Outcome::unparsed;
        return;
    }
    task.outcome = LineTask::Outcome::access;
    task.rejects = batch.rejects();
    const std::size_t count = batch.size();
    task.records = count;
    if (task.done.size() < count) {
        task.done.resize(count);
    }
    for (std::size_t i = 0; i < count; ++i) {
        auto& done = task.done[i];
        auto& item = batch[i];
        // The id as the first of its kind; the pipeline numbers repeats.
        done.content_id = item.record.id.empty();
        if (done.content_id) {
            done.hash = content_hash(task.line, m_settings.source, i);
            format_record_id(item.record.id, done.hash, 0);
        }
        done.warnings.counts.clear();
        done.encoded.clear();
        if (!task.replay) {
            // Finished whether or not it will be admitted (that is decided
            // in line order); warnings count only for those admitted.
            m_builder->finish(item.record, item.extras, done.warnings);
        }
        done.ts_us = item.record.ts_us;
        if (encoder != nullptr && !task.replay) {
            encoder->encode(item.record, done.encoded);
            if (done.content_id) {
                // The id comes first (RecordSink::encode); a content id
                // needs no escaping.
                done.id_at = done.encoded.find(item.record.id);
                done.id_size = item.record.id.size();
                if (done.id_at == std::string::npos) {
                    throw std::logic_error("the encoded record does not hold its id");
                }
            }
        }
    }
}

enrich::SaltSource serialized_salts(enrich::SaltSource source) {
    if (!source) {
        return source;
    }
    auto mutex = std::make_shared<std::mutex>();
    return [mutex, source = std::move(source)](std::int64_t day) {
        std::lock_guard lock(*mutex);
        return source(day);
    };
}

} // namespace analytics::ingest
