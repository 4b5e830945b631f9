# cpack -G DEB (scripts/package.sh): the sockjs-server package — the server,
# its configuration in /etc, a systemd unit, and the client scripts its demo
# and iframe pages load. The library stays out: service authors build it
# from source (README "Using the library").
set(sockjs_client_modules ${PROJECT_SOURCE_DIR}/client/node_modules)
set(sockjs_share ${CMAKE_INSTALL_DATADIR}/sockjs-server)

# sockjs-server itself: app/CMakeLists.txt, component "server".
install(FILES config/sockjs-server.conf DESTINATION /etc/sockjs-server
        COMPONENT server)
install(FILES packaging/sockjs-server.service
        DESTINATION /lib/systemd/system COMPONENT server)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/sockjs-server
        COMPONENT server)
foreach(script sockjs-client/dist/sockjs.min.js sockjs-client/dist/sockjs.js
               websocket-multiplex/multiplex_client.js)
  get_filename_component(dir ${script} DIRECTORY)
  # OPTIONAL: a build without scripts/fetch-client.sh packages no scripts
  # (and the package test says so).
  install(FILES ${sockjs_client_modules}/${script}
          DESTINATION ${sockjs_share}/client/${dir} COMPONENT server OPTIONAL)
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sockjs-server)
set(CPACK_PACKAGE_VENDOR "sockjs-cpp")
set(CPACK_PACKAGE_CONTACT "sockjs-cpp maintainers <sockjs-cpp@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "SockJS 0.3 server: WebSocket emulation for sockjs-client")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libcaf-core0.17, libcaf-io0.17, libssl3, libc6 (>= 2.36), libstdc++6 (>= 12), libgcc-s1")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/conffiles)
include(CPack)
