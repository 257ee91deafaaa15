# Installs the `Musubi` and `Musubi.Inspector` QML modules into a scratch prefix and runs the
# installed/ QML tests against that prefix alone (no build-tree import path).
# cmake -DBUILD_DIR=.. -DPREFIX=.. -DQML_DIR=<qml dir relative to prefix>
#       -DRUNNER=<qmltestrunner> -DTESTS=<dir> -DLIBRARY_PATH=<dirs> -P installcheck.cmake
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --component MusubiQml
        --prefix ${PREFIX}
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "qml_install: cmake --install failed")
endif()
foreach(file qmldir libmusubi_qmlplugin.so musubi_qml.qmltypes MusubiStatusBanner.qml)
    if(NOT EXISTS ${PREFIX}/${QML_DIR}/Musubi/${file})
        message(FATAL_ERROR "qml_install: ${QML_DIR}/Musubi/${file} was not installed")
    endif()
endforeach()
foreach(file qmldir libmusubi_inspector_qmlplugin.so musubi_inspector_qml.qmltypes
        MusubiInspector.qml)
    if(NOT EXISTS ${PREFIX}/${QML_DIR}/Musubi/Inspector/${file})
        message(FATAL_ERROR "qml_install: ${QML_DIR}/Musubi/Inspector/${file} was not installed")
    endif()
endforeach()
# The core libraries belong to another install component: find them in the build tree.
set(ENV{LD_LIBRARY_PATH} "${LIBRARY_PATH}")
set(ENV{QML_IMPORT_PATH} "")
set(ENV{QML2_IMPORT_PATH} "")
set(ENV{QT_QPA_PLATFORM} "offscreen")
if(PRELOAD)
    set(ENV{LD_PRELOAD} "${PRELOAD}")
endif()
execute_process(COMMAND ${RUNNER} -import ${PREFIX}/${QML_DIR} -input ${TESTS}
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "qml_install: the installed module failed its tests")
endif()
