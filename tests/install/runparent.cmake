# Configures and builds tests/install/parent: a parent project that
# add_subdirectory()s Musubi and examples/hello-qml. Then checks the cache: the
# parent's QML_IMPORT_PATH survives with Musubi's directory appended once (also
# after a second configure), and the example's import directory holds the
# built `Musubi` module. Then runs parent_stores: typed stores that
# musubi_add_stores() generated from tests/codegen/manifest in the parent.
# Inputs: SOURCE_DIR, WORK_DIR, GENERATOR, LAUNCHER (optional compiler launcher).
cmake_minimum_required(VERSION 3.21)

set(RUN_LABEL "parent test")
include(${CMAKE_CURRENT_LIST_DIR}/run.cmake)

function(check_import_path)
    load_cache(${WORK_DIR}/parent READ_WITH_PREFIX cached_
        QML_IMPORT_PATH PARENT_MUSUBI_QML_IMPORT_DIR)
    set(paths "${cached_QML_IMPORT_PATH}")
    set(expected "${SOURCE_DIR}/tests/install/parent/qml;${cached_PARENT_MUSUBI_QML_IMPORT_DIR}")
    if(NOT paths STREQUAL expected)
        message(FATAL_ERROR "parent test: QML_IMPORT_PATH is \"${paths}\", expected \"${expected}\" "
            "(the parent's entry first, Musubi's appended once)")
    endif()
    message(STATUS "parent test: QML_IMPORT_PATH ${paths}: ok")
    set(import_dir "${cached_PARENT_MUSUBI_QML_IMPORT_DIR}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(launcher "")
if(LAUNCHER)
    set(launcher "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}")
endif()
# No build type: unoptimised and without debug information, the quickest to compile.
run("configure the parent"
    ${CMAKE_COMMAND} -G ${GENERATOR} -S ${SOURCE_DIR}/tests/install/parent -B ${WORK_DIR}/parent
    -DMUSUBI_SOURCE_DIR=${SOURCE_DIR} -DMUSUBI_CODEGEN_MANIFEST=${SOURCE_DIR}/tests/codegen/manifest
    ${launcher})
check_import_path()
run("configure the parent again" ${CMAKE_COMMAND} ${WORK_DIR}/parent)
check_import_path()

run("build the parent" ${CMAKE_COMMAND} --build ${WORK_DIR}/parent)
foreach(file ${WORK_DIR}/parent/hello-qml/hello-qml ${import_dir}/Musubi/qmldir)
    if(NOT EXISTS ${file})
        message(FATAL_ERROR "parent test: ${file} was not built")
    endif()
endforeach()
file(GLOB plugin ${import_dir}/Musubi/libmusubi_qmlplugin*)
if(NOT plugin)
    message(FATAL_ERROR "parent test: the QML plugin is not in ${import_dir}/Musubi")
endif()

# musubi_add_stores() below a parent: the generated classes link and `import
# ParentStores` resolves; nothing from the environment helps.
run("run parent_stores" ${CMAKE_COMMAND} -E env --unset=QML_IMPORT_PATH --unset=QML2_IMPORT_PATH
    QT_QPA_PLATFORM=offscreen ${WORK_DIR}/parent/parent_stores)
message(STATUS "${last_output}")
