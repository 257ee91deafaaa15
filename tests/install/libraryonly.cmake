# A library-only configure of Musubi (no tests, demos, examples or QML module)
# needs Qt Core, Network, WebSockets and Qml alone: none of the other Qt
# modules is even looked for (no Qt6<Module>_DIR in the cache).
# Inputs: SOURCE_DIR, WORK_DIR, GENERATOR.
cmake_minimum_required(VERSION 3.21)

file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} -G ${GENERATOR} -S ${SOURCE_DIR} -B ${WORK_DIR}
        -DMUSUBI_BUILD_TESTS=OFF -DMUSUBI_BUILD_DEMO=OFF -DMUSUBI_BUILD_EXAMPLES=OFF
        -DMUSUBI_BUILD_QML=OFF
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "library-only: configure failed (${rc}):\n${out}")
endif()

set(needed Core Network WebSockets Qml)
set(unwanted Gui Quick Widgets Test QuickTest QuickControls2)
load_cache(${WORK_DIR} READ_WITH_PREFIX cached_ Qt6Core_DIR)
if(NOT cached_Qt6Core_DIR)
    message(FATAL_ERROR "library-only: no Qt6Core_DIR in the cache: the check cannot see lookups")
endif()
foreach(module IN LISTS needed unwanted)
    load_cache(${WORK_DIR} READ_WITH_PREFIX cached_ Qt6${module}_DIR)
    if(module IN_LIST unwanted AND DEFINED cached_Qt6${module}_DIR)
        message(FATAL_ERROR "library-only: Qt6${module} was looked for (Qt6${module}_DIR is in the cache)")
    endif()
    if(module IN_LIST needed AND NOT cached_Qt6${module}_DIR)
        message(FATAL_ERROR "library-only: Qt6${module} was not found")
    endif()
endforeach()
# No QML module, and no cache entry for Qt Creator's QML code model.
load_cache(${WORK_DIR} READ_WITH_PREFIX cached_ QML_IMPORT_PATH)
if(DEFINED cached_QML_IMPORT_PATH)
    message(FATAL_ERROR "library-only: QML_IMPORT_PATH is set without a QML module")
endif()
message(STATUS "library-only: looked for Qt ${needed} only: ok")
