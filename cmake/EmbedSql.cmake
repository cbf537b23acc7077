# Build-time script: turns sql/NNNN_name.sql files into a C++ source that
# defines analytics::db::embedded_migrations(). Run with
#   cmake -DSQL_DIR=... -DOUTPUT=... -P EmbedSql.cmake
file(GLOB sql_files "${SQL_DIR}/[0-9][0-9][0-9][0-9]_*.sql")
list(SORT sql_files)

set(delimiter "analytics_sql")
set(entries "")
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
    file(READ "${path}" content)
    string(FIND "${content}" ")${delimiter}\"" clash)
    if(NOT clash EQUAL -1)
        message(FATAL_ERROR "${path} contains the raw-string delimiter )${delimiter}\"")
    endif()
    string(APPEND entries "        {${version}, \"${migration_name}\", R\"${delimiter}(${content})${delimiter}\"},\n")
endforeach()

set(source "// Generated from sql/ by cmake/EmbedSql.cmake. Do not edit.
#include <analytics/db/migrations.hpp>

namespace analytics::db {

const std::vector<Migration>& embedded_migrations() {
    static const std::vector<Migration> migrations{
${entries}    };
    return migrations;
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
