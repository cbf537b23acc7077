# Reads the command list (apps/analytics/commands.def) so that CMake does not
# keep its own. Sets, in the caller's scope:
#   ANALYTICS_COMMANDS          the documented commands (not the hidden ones),
#                               which the help, man page and completion tests go through
#   ANALYTICS_COMMAND_SOURCES   apps/analytics/<file>.cpp of every command
#   ANALYTICS_COMMAND_INCLUDES  #include lines of every command's header
set(ANALYTICS_COMMANDS_DEF ${PROJECT_SOURCE_DIR}/apps/analytics/commands.def)
set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${ANALYTICS_COMMANDS_DEF})

set(ANALYTICS_COMMANDS "")
set(ANALYTICS_COMMAND_SOURCES "")
set(ANALYTICS_COMMAND_INCLUDES "")
# Each entry's first line; its description, on the next line, is the C++ side's.
file(STRINGS ${ANALYTICS_COMMANDS_DEF} command_lines REGEX "^ANALYTICS_COMMAND\\(")
foreach(line IN LISTS command_lines)
    if(NOT line MATCHES
       "^ANALYTICS_COMMAND\\(\"([a-z][a-z-]*)\", ([A-Za-z]+), ([a-z_]+), (core|supporting|hidden),$")
        message(FATAL_ERROR "${ANALYTICS_COMMANDS_DEF}: cannot read: ${line}")
    endif()
    if(NOT CMAKE_MATCH_4 STREQUAL "hidden")
        list(APPEND ANALYTICS_COMMANDS ${CMAKE_MATCH_1})
    endif()
    list(APPEND ANALYTICS_COMMAND_SOURCES analytics/${CMAKE_MATCH_3}.cpp)
    string(APPEND ANALYTICS_COMMAND_INCLUDES "#include \"${CMAKE_MATCH_3}.hpp\"\n")
endforeach()
if(NOT ANALYTICS_COMMANDS)
    message(FATAL_ERROR "${ANALYTICS_COMMANDS_DEF}: no command found")
endif()
