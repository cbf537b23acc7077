#include <analytics/db/session_impl.hpp>
#include <analytics/db/statements.hpp>
#include <analytics/load/registry.hpp>

namespace analytics::load {

namespace {

ingest::InputHistory read_entry(pqxx::transaction_base& tx, const db::Session& session,
                                const std::string& input_id, const std::string& signature) {
    ingest::InputHistory history;
    if (!signature.empty()) {
        history.file_complete =
            !tx.exec_params("SELECT 1 FROM " + db::qualified(session, "ingest_registry_files") +
                                " WHERE signature = $1 AND input_id = $2",
                            signature, input_id)
                 .empty();
    }
    const auto r =
        tx.exec_params("SELECT lines_consumed, bytes_consumed, prefix_hash FROM " +
                           db::qualified(session, "ingest_registry") + " WHERE input_id = $1",
                       input_id);
    if (!r.empty()) {
        ingest::InputPosition position;
        position.lines = r[0][0].as<std::uint64_t>();
        position.bytes = r[0][1].as<std::uint64_t>();
        position.chain = static_cast<std::uint64_t>(r[0][2].as<std::int64_t>());
        history.loaded = position;
    }
    return history;
}

} // namespace

ingest::InputHistory read_history(pqxx::transaction_base& tx, const db::Session& session,
                                  const ingest::InputIdentity& input) {
    auto history = read_entry(tx, session, input.id, input.signature);
    if (!history.file_complete && !history.loaded && !input.legacy_id.empty()) {
        history = read_entry(tx, session, input.legacy_id, input.signature);
    }
    return history;
}

void record_position(pqxx::work& tx, const db::Session& session, const ingest::InputIdentity& input,
                     const std::string& format, const ingest::InputPosition& position,
                     std::uint64_t rows_stored, bool complete) {
    tx.exec_params("INSERT INTO " + db::qualified(session, "ingest_registry") +
                       " AS r (input_id, display_name, format, lines_consumed, bytes_consumed, "
                       "prefix_hash, records_stored, completed) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                       "ON CONFLICT (input_id) DO UPDATE SET display_name = EXCLUDED.display_name, "
                       "format = EXCLUDED.format, lines_consumed = EXCLUDED.lines_consumed, "
                       "bytes_consumed = EXCLUDED.bytes_consumed, "
                       "prefix_hash = EXCLUDED.prefix_hash, "
                       "records_stored = r.records_stored + EXCLUDED.records_stored, "
                       "completed = EXCLUDED.completed, last_ingested = now()",
                   input.id, input.display, format, position.lines, position.bytes,
                   static_cast<std::int64_t>(position.chain), rows_stored, complete);
    if (complete && !input.signature.empty()) {
        tx.exec_params("INSERT INTO " + db::qualified(session, "ingest_registry_files") +
                           " (input_id, compressed, signature) VALUES ($1, $2, $3) "
                           "ON CONFLICT (input_id, compressed) DO UPDATE SET "
                           "signature = EXCLUDED.signature, recorded_at = now()",
                       input.id, input.compressed, input.signature);
    }
}

void record_rejects(pqxx::work& tx, const db::Session& session, const std::string& source,
                    const std::string& input_id, const std::vector<RejectedLine>& rejects) {
    if (rejects.empty()) {
        return;
    }
    std::vector<std::string> lines, reasons, texts;
    for (const auto& reject : rejects) {
        lines.push_back(std::to_string(reject.line));
        reasons.push_back(reject.reason);
        texts.push_back(reject.text);
    }
    // In the order given: the ids follow it.
    tx.exec_params("INSERT INTO " + db::qualified(session, "ingest_rejects") +
                       " (source, input_id, line_number, reason, raw) "
                       "SELECT $1, $2, nullif(r.line, 0), r.reason, r.raw "
                       "FROM unnest($3::bigint[], $4::text[], $5::text[]) "
                       "WITH ORDINALITY AS r(line, reason, raw, n) ORDER BY r.n "
                       "ON CONFLICT DO NOTHING",
                   source, input_id.empty() ? nullptr : input_id.c_str(), db::array_literal(lines),
                   db::array_literal(reasons), db::array_literal(texts));
}

} // namespace analytics::load
