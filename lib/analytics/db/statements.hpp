#pragma once

// The statements the commands run, one per file under sql/<group>/
// (sql/rollup/, sql/report/), embedded at build time like the migrations
// (cmake/EmbedSql.cmake) and named "<group>/<file name>". Each reads the
// tables through the session's search_path (the configured schema) and
// takes its values as bound parameters, named in order on its first line:
//   -- parameters: start end zone
// ($1 is "start", $2 "end", $3 "zone"). Library-internal: apps never see SQL.

#include <pqxx/pqxx>

#include <map>
#include <string>
#include <vector>

namespace analytics::db {

// A file as embedded (generated from sql/ at build time).
struct EmbeddedFile {
    const char* name; // "rollup/ogc_summary_daily"
    const char* text;
};

const std::vector<EmbeddedFile>& embedded_statement_files();

struct Statement {
    std::string name;
    std::string sql;
    std::vector<std::string> parameters; // the names of $1, $2, …
};

// The parameter names of a statement's first line ("-- parameters: a b"),
// none without that line.
std::vector<std::string> parameter_names(const std::string& sql);

// The highest $n a statement refers to, 0 if none.
int highest_placeholder(const std::string& sql);

// Every embedded statement, in name order.
const std::vector<Statement>& embedded_statements();

// The statement of that name; std::logic_error when no file has it.
const Statement& statement(const std::string& name);

// Each parameter's value as text, by name.
using Arguments = std::map<std::string, std::string>;

// Runs `statement` with its parameters bound from `arguments`;
// std::logic_error when one is missing.
pqxx::result run(pqxx::transaction_base& tx, const Statement& statement,
                 const Arguments& arguments);

// The values as one array parameter ($n::text[], or another element type
// with the same text form): {"a","b \"c\""}.
std::string array_literal(const std::vector<std::string>& values);

} // namespace analytics::db
