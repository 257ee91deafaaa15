# Runs qmllint on every QML file of the project; fails on any warning.
# cmake -DQMLLINT=<qmllint> -DIMPORT_DIR=<build>/qml -DSOURCE_DIR=<repo> -P qmllint.cmake
file(GLOB_RECURSE files
    ${SOURCE_DIR}/qml/*.qml
    ${SOURCE_DIR}/plugin/*.qml
    ${SOURCE_DIR}/tests/*.qml
    ${SOURCE_DIR}/demo/*.qml
    ${SOURCE_DIR}/examples/*.qml)
list(FILTER files EXCLUDE REGEX "/build[^/]*/|/node_modules/")
if(NOT files)
    message(FATAL_ERROR "qml_lint: no QML files found under ${SOURCE_DIR}")
endif()
set(failed 0)
foreach(file IN LISTS files)
    execute_process(COMMAND ${QMLLINT} -I ${IMPORT_DIR} ${file}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
        message("${out}")
        math(EXPR failed "${failed} + 1")
    endif()
endforeach()
list(LENGTH files count)
if(failed)
    message(FATAL_ERROR "qml_lint: ${failed} of ${count} files have warnings")
endif()
message("qml_lint: ${count} files clean")
