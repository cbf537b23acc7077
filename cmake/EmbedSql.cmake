# Build-time script: turns the files of sql/ into a C++ source that defines
# analytics::db::embedded_migrations() (sql/NNNN_name.sql, applied in order
# by `migrate`) and analytics::db::embedded_statements() (sql/<group>/<name>.sql,
# the statements the commands run, named "<group>/<name>"). Run with
#   cmake -DSQL_DIR=... -DOUTPUT=... -P EmbedSql.cmake
set(delimiter "analytics_sql")

# The file's text as a C++ raw string literal.
function(raw_string path out)
    file(READ "${path}" content)
    string(FIND "${content}" ")${delimiter}\"" clash)
    if(NOT clash EQUAL -1)
        message(FATAL_ERROR "${path} contains the raw-string delimiter )${delimiter}\"")
    endif()
    set(${out} "R\"${delimiter}(${content})${delimiter}\"" PARENT_SCOPE)
endfunction()

file(GLOB sql_files "${SQL_DIR}/[0-9][0-9][0-9][0-9]_*.sql")
list(SORT sql_files)
set(migrations "")
set(previous 0)
foreach(path IN LISTS sql_files)
    get_filename_component(file_name "${path}" NAME_WE)
    string(SUBSTRING "${file_name}" 0 4 version_text)
    string(SUBSTRING "${file_name}" 5 -1 migration_name)
    math(EXPR version "${version_text}")
    if(NOT version GREATER previous)
        message(FATAL_ERROR "${path}: migration numbers must increase")
    endif()
    set(previous ${version})
    raw_string("${path}" text)
    string(APPEND migrations "        {${version}, \"${migration_name}\", ${text}},\n")
endforeach()

# A statement file whose second line is
#   -- one statement per period: hourly daily monthly
# is one statement per period listed, named "<group>/<name>_<period>", its
# {period} and {unit} (hour, day, month: date_trunc's) replaced: the hourly,
# daily and monthly tables of one family differ in nothing else.
set(unit_of_hourly hour)
set(unit_of_daily day)
set(unit_of_monthly month)
file(GLOB statement_files RELATIVE "${SQL_DIR}" "${SQL_DIR}/*/*.sql")
list(SORT statement_files)
set(statements "")
foreach(relative IN LISTS statement_files)
    string(REGEX REPLACE "\\.sql$" "" statement_name "${relative}")
    raw_string("${SQL_DIR}/${relative}" text)
    if(text MATCHES "^R\"${delimiter}\\([^\n]*\n-- one statement per period:([^\n]*)\n")
        string(REGEX MATCHALL "[a-z]+" periods "${CMAKE_MATCH_1}")
        foreach(period IN LISTS periods)
            if(NOT DEFINED unit_of_${period})
                message(FATAL_ERROR "${relative}: unknown period ${period}")
            endif()
            string(REPLACE "{period}" "${period}" expanded "${text}")
            string(REPLACE "{unit}" "${unit_of_${period}}" expanded "${expanded}")
            string(APPEND statements "        {\"${statement_name}_${period}\", ${expanded}},\n")
        endforeach()
    else()
        string(APPEND statements "        {\"${statement_name}\", ${text}},\n")
    endif()
endforeach()

set(source "// Generated from sql/ by cmake/EmbedSql.cmake. Do not edit.
#include <analytics/db/migrations.hpp>
#include <analytics/db/statements.hpp>

namespace analytics::db {

const std::vector<Migration>& embedded_migrations() {
    static const std::vector<Migration> migrations{
${migrations}    };
    return migrations;
}

const std::vector<EmbeddedFile>& embedded_statement_files() {
    static const std::vector<EmbeddedFile> files{
${statements}    };
    return files;
}

} // namespace analytics::db
")

# Only rewrite when the content changes, so nothing rebuilds needlessly.
if(EXISTS "${OUTPUT}")
    file(READ "${OUTPUT}" old)
    if(old STREQUAL source)
        return()
    endif()
endif()
file(WRITE "${OUTPUT}" "${source}")
