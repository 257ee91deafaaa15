# Install rules and the CMake package (included from the top-level
# CMakeLists.txt once every library target exists).
#
#   find_package(Musubi 0.1 REQUIRED [COMPONENTS Qml Testing])
#
# Components, one export set each (<libdir>/cmake/Musubi/Musubi<Component>Targets.cmake):
#   Core     Musubi::Core, Musubi::Phoenix; always loaded.
#   Testing  Musubi::Testing (MusubiTestServer).
#   Qml      Musubi::Qml, the backing library of the QML module `Musubi` (only
#            when built with MUSUBI_BUILD_QML). The QML plugin is not a CMake
#            target: the engine loads it from Musubi_QML_IMPORT_DIR.
#   InspectorWidgets  Musubi::InspectorWidgets (MusubiInspectorWidget, the
#            Musubi.Inspector panel in a QWidget; with MUSUBI_BUILD_QML).
include(CMakePackageConfigHelpers)

set(_musubi_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/Musubi)
# The package's components of this build, written into MusubiConfig.cmake.
set(MUSUBI_PACKAGE_COMPONENTS Core Testing)

# Headers flat in include/Musubi; the targets' INSTALL_INTERFACE include
# directories (include/Musubi and include) make both <musubiroot.h> and
# <Musubi/musubiroot.h> work (cmake/MusubiHeaders.cmake).
install(TARGETS musubi_phoenix musubi_core
    EXPORT MusubiCoreTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS musubi_testing
    EXPORT MusubiTestingTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${MUSUBI_PUBLIC_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/Musubi)

# plugin/musubi installs musubi_qml into the export set MusubiQmlTargets.
if(TARGET musubi_qml)
    set_target_properties(musubi_qml PROPERTIES EXPORT_NAME Qml)
    list(APPEND MUSUBI_PACKAGE_COMPONENTS Qml)
endif()

# src/inspector/widgets installs musubi_inspector_widgets into MusubiInspectorWidgetsTargets.
if(TARGET musubi_inspector_widgets)
    list(APPEND MUSUBI_PACKAGE_COMPONENTS InspectorWidgets)
endif()

foreach(_component IN LISTS MUSUBI_PACKAGE_COMPONENTS)
    install(EXPORT Musubi${_component}Targets
        NAMESPACE Musubi::
        DESTINATION ${_musubi_cmake_dir})
endforeach()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/MusubiConfig.cmake.in
    ${PROJECT_BINARY_DIR}/MusubiConfig.cmake
    INSTALL_DESTINATION ${_musubi_cmake_dir}
    PATH_VARS MUSUBI_QML_INSTALL_DIR)
# SameMajorVersion: find_package(Musubi 0.1) accepts this 0.x from 0.1 on,
# and no 1.x.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/MusubiConfigVersion.cmake
    COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/MusubiConfig.cmake ${PROJECT_BINARY_DIR}/MusubiConfigVersion.cmake
    ${PROJECT_SOURCE_DIR}/cmake/MusubiStores.cmake
    DESTINATION ${_musubi_cmake_dir})
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
unset(_musubi_cmake_dir)
