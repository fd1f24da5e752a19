# `cmake --install <build> --prefix P`: bin/sccache, its man page and docs. `cpack -G DEB` (run in
# the build directory) makes sccache-cpp_<version>_<arch>.deb, with /usr/bin/sccache. Both are
# exercised by tests/integration/test_install_package.sh.
set(CMAKE_INSTALL_DOCDIR share/doc/sccache-cpp)  # (not the project's name, sccache_cpp)
include(GNUInstallDirs)
install(TARGETS sccache RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/docs/sccache.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/ARCHITECTURE.md
              ${PROJECT_SOURCE_DIR}/docs/protocol.md ${PROJECT_SOURCE_DIR}/docs/reliability.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME sccache-cpp)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "sccache-cpp developers <sccache-cpp@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "shared compilation cache, a drop-in replacement for Mozilla's sccache")
set(CPACK_PACKAGE_INSTALL_DIRECTORY sccache-cpp)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/mozilla/sccache")
# dpkg-shlibdeps finds what the executable links (libc alone: libstdc++ is static). What the
# server loads at run time is declared by hand: libcrypto (keys; the server does not start
# without it) is required, libcurl (S3, WebDAV) and libmemcached only when those are configured (SASL's PLAIN mechanism,
# for a memcached with credentials, is in libsasl2-modules).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libssl3")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libcurl4, libmemcached11, libsasl2-modules")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gcc | clang, redis-server")
# The same /usr/bin/sccache as Debian's sccache package: one replaces the other.
set(CPACK_DEBIAN_PACKAGE_CONFLICTS sccache)
set(CPACK_DEBIAN_PACKAGE_REPLACES sccache)
set(CPACK_DEBIAN_PACKAGE_PROVIDES sccache)
include(CPack)
