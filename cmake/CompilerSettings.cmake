# Warnings and sanitizers, applied through INTERFACE targets that every
# project target links privately (ccache's standard_settings idea).
add_library(analytics_settings INTERFACE)
target_compile_options(analytics_settings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wnull-dereference
    -Wimplicit-fallthrough)
if(ANALYTICS_WERROR)
    target_compile_options(analytics_settings INTERFACE -Werror)
endif()
if(ANALYTICS_SANITIZE)
    target_compile_options(analytics_settings INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(analytics_settings INTERFACE -fsanitize=address,undefined)
endif()
target_compile_definitions(analytics_settings INTERFACE $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)
