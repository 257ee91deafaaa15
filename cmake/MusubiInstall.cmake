# Install rules and the CMake package: find_package(Musubi) gives
# Musubi::Core (with Musubi::Phoenix) and Musubi::Testing.
include(CMakePackageConfigHelpers)

install(TARGETS musubi_phoenix musubi_core musubi_testing
    EXPORT MusubiTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/Musubi)

# Public headers, flat in include/Musubi whatever folder (layer) they live in.
foreach(_dir phoenix musubi testing)
    file(GLOB_RECURSE _headers LIST_DIRECTORIES false "${PROJECT_SOURCE_DIR}/src/${_dir}/*.h")
    list(FILTER _headers EXCLUDE REGEX "_p\\.h$")
    install(FILES ${_headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/Musubi)
endforeach()

install(EXPORT MusubiTargets
    NAMESPACE Musubi::
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Musubi)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/MusubiConfig.cmake.in
    ${CMAKE_BINARY_DIR}/MusubiConfig.cmake
    INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Musubi
    PATH_VARS MUSUBI_QML_INSTALL_DIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/MusubiConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/MusubiConfig.cmake ${CMAKE_BINARY_DIR}/MusubiConfigVersion.cmake
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Musubi)
