#include <analytics/db/statements.hpp>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace analytics::db {

std::vector<std::string> parameter_names(const std::string& sql) {
    static const std::string marker = "-- parameters:";
    std::vector<std::string> names;
    if (sql.compare(0, marker.size(), marker) != 0) {
        return names;
    }
    std::istringstream line(sql.substr(marker.size(), sql.find('\n') - marker.size()));
    for (std::string name; line >> name;) {
        names.push_back(name);
    }
    return names;
}

int highest_placeholder(const std::string& sql) {
    int highest = 0;
    for (std::size_t at = sql.find('$'); at != std::string::npos; at = sql.find('$', at + 1)) {
        int n = 0;
        for (std::size_t i = at + 1;
             i < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i])) != 0; ++i) {
            n = n * 10 + (sql[i] - '0');
        }
        highest = std::max(highest, n);
    }
    return highest;
}

const std::vector<Statement>& embedded_statements() {
    static const std::vector<Statement> all = [] {
        std::vector<Statement> statements;
        for (const auto& file : embedded_statement_files()) {
            statements.push_back({file.name, file.text, parameter_names(file.text)});
        }
        return statements;
    }();
    return all;
}

const Statement& statement(const std::string& name) {
    for (const auto& s : embedded_statements()) {
        if (s.name == name) {
            return s;
        }
    }
    throw std::logic_error("no statement file sql/" + name + ".sql");
}

pqxx::result run(pqxx::transaction_base& tx, const Statement& statement,
                 const Arguments& arguments) {
    std::vector<std::string> values;
    for (const auto& name : statement.parameters) {
        const auto it = arguments.find(name);
        if (it == arguments.end()) {
            throw std::logic_error("statement " + statement.name + " needs the parameter " + name);
        }
        values.push_back(it->second);
    }
    return tx.exec_params(statement.sql, pqxx::prepare::make_dynamic_params(values));
}

std::string array_literal(const std::vector<std::string>& values) {
    std::string out = "{";
    for (const auto& value : values) {
        out += out.size() == 1 ? "\"" : ",\"";
        for (const char c : value) {
            if (c == '"' || c == '\\') {
                out += '\\';
            }
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

} // namespace analytics::db
