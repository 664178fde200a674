# Installation layout and the Debian package (make deb): CPack's DEB generator with the
# Depends line computed by dpkg-shlibdeps. Included from the top-level CMakeLists.txt.
include(GNUInstallDirs)

install(TARGETS pnode-analytics RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The built dashboard (make web); serve finds it at <prefix>/share/pnode-analytics/web.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/web/dist/ DESTINATION ${CMAKE_INSTALL_DATADIR}/pnode-analytics/web
        OPTIONAL)
# The replay captures, so `pnode-analytics sim` works on an installed system.
install(FILES
  ${PNODE_FIXTURES_DIR}/get-pods-with-stats_2025-12-16T0931Z_v0.8_198pods_BarrieLAJ.json
  ${PNODE_FIXTURES_DIR}/get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json
  DESTINATION ${CMAKE_INSTALL_DATADIR}/pnode-analytics/captures)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/pnode-analytics.service DESTINATION lib/systemd/system)
install(FILES ${CMAKE_SOURCE_DIR}/config/pnode-analytics.example.toml
        DESTINATION /etc/pnode-analytics RENAME pnode-analytics.toml)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/default.env DESTINATION /etc/default RENAME pnode-analytics)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/API.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/pnode-analytics)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pnode-analytics)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "pnode-analytics maintainers <maintainers@pnode-analytics.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Xandeum pNode network analytics: collector, history and REST API")
set(CPACK_PACKAGE_DESCRIPTION
    "Polls the seed nodes of the Xandeum storage network over pRPC, merges their gossip views, keeps\
 registry and history in SQLite, and serves scores, health, alerts and recommendations over a REST\
 API compatible with the reference service, with a web dashboard. Runs as the systemd service\
 pnode-analytics.service; configure it in /etc/pnode-analytics/pnode-analytics.toml.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/postinst ${CMAKE_SOURCE_DIR}/packaging/prerm
    ${CMAKE_SOURCE_DIR}/packaging/postrm ${CMAKE_SOURCE_DIR}/packaging/conffiles)
include(CPack)
