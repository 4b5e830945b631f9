# cmake --install: the library (three static layers behind sockjs::sockjs),
# its public headers, sockjs-server and sockjs-bench, a CMake package
# (find_package(sockjs)) and a pkg-config file.
include(CMakePackageConfigHelpers)

set(sockjs_public_headers
  protocol/include/sockjs/close_codes.hpp
  actors/include/sockjs/cluster.hpp
  actors/include/sockjs/connection.hpp
  actors/include/sockjs/message_types.hpp
  actors/include/sockjs/multiplex.hpp
  actors/include/sockjs/service.hpp
  transports/include/sockjs/admin.hpp
  transports/include/sockjs/io_scheduler.hpp
  transports/include/sockjs/run.hpp
  transports/include/sockjs/server.hpp
  transports/include/sockjs/sockjs.hpp)
install(FILES ${sockjs_public_headers}
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sockjs)

install(TARGETS sockjs sockjs_protocol sockjs_actors sockjs_transports
        EXPORT sockjsTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
set(sockjs_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/sockjs)
install(EXPORT sockjsTargets NAMESPACE sockjs::
        DESTINATION ${sockjs_cmake_dir})
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/sockjsConfig.cmake.in
  ${PROJECT_BINARY_DIR}/sockjsConfig.cmake
  INSTALL_DESTINATION ${sockjs_cmake_dir})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/sockjsConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
# Debian's CAF has no CMake package: the config finds it with our module.
install(FILES ${PROJECT_BINARY_DIR}/sockjsConfig.cmake
              ${PROJECT_BINARY_DIR}/sockjsConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FindCAF.cmake
        DESTINATION ${sockjs_cmake_dir})

file(RELATIVE_PATH sockjs_pc_to_prefix
     /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/sockjs.pc.in
               ${PROJECT_BINARY_DIR}/sockjs.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sockjs.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# cmake --build build --target docs: the API reference of the public
# headers (Debian's doxygen), every public name documented, warnings fail.
find_program(DOXYGEN_EXECUTABLE doxygen)
if(DOXYGEN_EXECUTABLE)
  list(TRANSFORM sockjs_public_headers PREPEND ${PROJECT_SOURCE_DIR}/
       OUTPUT_VARIABLE sockjs_docs_files)
  list(JOIN sockjs_docs_files " " sockjs_docs_input)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/Doxyfile.in
                 ${PROJECT_BINARY_DIR}/Doxyfile @ONLY)
  add_custom_target(docs
    COMMAND ${DOXYGEN_EXECUTABLE} ${PROJECT_BINARY_DIR}/Doxyfile
    COMMENT "API reference in ${PROJECT_BINARY_DIR}/docs/html"
    VERBATIM)
endif()
