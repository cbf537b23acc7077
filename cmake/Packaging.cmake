# Installation and the Debian package (cpack -G DEB, or the 'package' target).
# The binary installs itself (apps/CMakeLists.txt); everything else is here.

install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY sql/ DESTINATION ${CMAKE_INSTALL_DATADIR}/analytics/sql FILES_MATCHING PATTERN "*.sql")
install(FILES completions/analytics.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME analytics)
install(FILES completions/_analytics DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES completions/analytics.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

# Man pages, gzipped at build time as Debian installs them (-n: reproducible).
find_program(GZIP_EXECUTABLE gzip REQUIRED)
file(GLOB ANALYTICS_MAN_PAGES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/man/*.1)
set(ANALYTICS_MAN_GZ)
foreach(page IN LISTS ANALYTICS_MAN_PAGES)
    get_filename_component(name ${page} NAME)
    set(gz ${PROJECT_BINARY_DIR}/man/${name}.gz)
    add_custom_command(OUTPUT ${gz}
        COMMAND ${CMAKE_COMMAND} -E copy ${page} ${PROJECT_BINARY_DIR}/man/${name}
        COMMAND ${GZIP_EXECUTABLE} -9 -n -f ${PROJECT_BINARY_DIR}/man/${name}
        DEPENDS ${page}
        COMMENT "Compressing man page ${name}"
        VERBATIM)
    list(APPEND ANALYTICS_MAN_GZ ${gz})
endforeach()
add_custom_target(man_pages ALL DEPENDS ${ANALYTICS_MAN_GZ})
install(FILES ${ANALYTICS_MAN_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# The sample configuration, as the system file and as documentation; the
# service: systemd units and timers (installed disabled) and their settings,
# /etc/default/analytics. Their directories are chosen at install time, so
# that 'cmake --install --prefix /usr' and the package put them in /etc and
# /lib/systemd/system (where bookworm's packages put units: its lintian
# refuses them under /usr/lib) whatever prefix the build was configured with,
# and prefix P gives P/etc and P/lib/systemd/system (GNUInstallDirs' rule).
set(ANALYTICS_SYSTEMD_UNITS
    analytics-maintain.service analytics-maintain.timer
    analytics-process.service analytics-process.timer
    analytics-follow.service)
list(TRANSFORM ANALYTICS_SYSTEMD_UNITS PREPEND \"${PROJECT_SOURCE_DIR}/examples/systemd/
     OUTPUT_VARIABLE analytics_unit_files)
list(TRANSFORM analytics_unit_files APPEND \")
list(JOIN analytics_unit_files " " analytics_unit_files)
install(CODE "
    set(analytics_etc \"${CMAKE_INSTALL_SYSCONFDIR}\")
    set(analytics_units /lib/systemd/system)
    if(NOT CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
        set(analytics_units \"\${CMAKE_INSTALL_PREFIX}/lib/systemd/system\")
    endif()
    if(NOT IS_ABSOLUTE \"\${analytics_etc}\")
        if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
            set(analytics_etc /etc)
        else()
            set(analytics_etc \"\${CMAKE_INSTALL_PREFIX}/\${analytics_etc}\")
        endif()
    endif()
    file(INSTALL DESTINATION \"\${analytics_etc}/analytics\" TYPE FILE
         FILES \"${PROJECT_SOURCE_DIR}/examples/config.yaml\")
    file(INSTALL DESTINATION \"\${analytics_etc}/default\" TYPE FILE
         FILES \"${PROJECT_SOURCE_DIR}/examples/default/analytics\")
    file(INSTALL DESTINATION \"\${analytics_units}\" TYPE FILE FILES ${analytics_unit_files})
")
install(FILES examples/config.yaml DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES examples/cron/analytics DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/cron)

# Debian's documentation files: the licence in machine-readable form and the
# package's changelog, gzipped as dpkg expects (-n: reproducible).
install(FILES packaging/deb/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
set(ANALYTICS_CHANGELOG_GZ ${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz)
add_custom_command(OUTPUT ${ANALYTICS_CHANGELOG_GZ}
    COMMAND ${CMAKE_COMMAND} -E copy ${PROJECT_SOURCE_DIR}/packaging/deb/changelog
            ${PROJECT_BINARY_DIR}/debian/changelog.Debian
    COMMAND ${GZIP_EXECUTABLE} -9 -n -f ${PROJECT_BINARY_DIR}/debian/changelog.Debian
    DEPENDS ${PROJECT_SOURCE_DIR}/packaging/deb/changelog
    COMMENT "Compressing the Debian changelog"
    VERBATIM)
add_custom_target(debian_changelog ALL DEPENDS ${ANALYTICS_CHANGELOG_GZ})
install(FILES ${ANALYTICS_CHANGELOG_GZ} DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The .deb. DESTDIR staging with prefix /usr, so that the configuration
# lands in /etc (see above) and everything else under /usr.
# The Maintainer is the signer of packaging/deb/changelog's latest entry.
file(STRINGS packaging/deb/changelog ANALYTICS_CHANGELOG_SIGNERS REGEX "^ -- .+ <.+>  ")
list(GET ANALYTICS_CHANGELOG_SIGNERS 0 ANALYTICS_PACKAGE_MAINTAINER)
string(REGEX REPLACE "^ -- (.+>)  .*" "\\1" ANALYTICS_PACKAGE_MAINTAINER "${ANALYTICS_PACKAGE_MAINTAINER}")
set(ANALYTICS_PACKAGE_HOMEPAGE ""
    CACHE STRING "Homepage field of the Debian package (omitted when empty)")

set(CPACK_GENERATOR DEB)
set(CPACK_VERBATIM_VARIABLES ON)
set(CPACK_PACKAGE_NAME analytics)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# The Debian revision: the version is that of packaging/deb/changelog's first entry.
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_PACKAGE_CONTACT "${ANALYTICS_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "analytics turns the access logs of geOrchestra's gateway, GeoServer, MapServer,\n"
    "MapProxy, OGC API servers and HTTP APIs behind nginx or Apache, and the product\n"
    "events of a geoportal, into usage statistics in PostgreSQL, and keeps that\n"
    "database healthy: monthly partitions, rollups of completed days, retention,\n"
    "size reports. Without configuration it uses a private PostgreSQL cluster.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${ANALYTICS_PACKAGE_HOMEPAGE}")
# Libraries: computed by dpkg-shlibdeps (package dpkg-dev, and 'file'),
# libmaxminddb0 (geoip.database) among them.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Data read at run time: the user-agent database and the time zones.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "uap-core, tzdata, adduser")
# The embedded default database runs the installed server (initdb, pg_ctl);
# with an external database, ingest --output or --version it is not needed.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql-15 | postgresql")
# geoipupdate (contrib) keeps a GeoLite2-Country database for geoip.database.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "prometheus-node-exporter, geoipupdate")
# /etc/analytics/config.yaml and /etc/default/analytics are the administrator's:
# dpkg keeps their edits.
file(WRITE ${PROJECT_BINARY_DIR}/debian/conffiles "/etc/analytics/config.yaml\n/etc/default/analytics\n")
# The maintainer scripts: the system user, its home, the units' state.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_BINARY_DIR}/debian/conffiles
    ${PROJECT_SOURCE_DIR}/packaging/deb/postinst
    ${PROJECT_SOURCE_DIR}/packaging/deb/prerm
    ${PROJECT_SOURCE_DIR}/packaging/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
