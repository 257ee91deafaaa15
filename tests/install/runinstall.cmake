# Installs the current build into a fresh prefix, then configures, builds and
# runs tests/install/consumer against it, and runs the installed demos.
# Inputs: BUILD_DIR, SOURCE_DIR, WORK_DIR, GENERATOR, BUILD_TYPE, SANITIZE.
cmake_minimum_required(VERSION 3.21)

set(RUN_LABEL "install test")
include(${CMAKE_CURRENT_LIST_DIR}/run.cmake)

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

foreach(installed
        include/Musubi/musubiroot.h
        include/Musubi/musubitestserver.h
        share/doc/Musubi/LICENSE)
    if(NOT EXISTS ${prefix}/${installed})
        message(FATAL_ERROR "install test: ${installed} is not installed")
    endif()
endforeach()
file(GLOB_RECURSE package_config ${prefix}/MusubiConfig.cmake)
if(NOT package_config)
    message(FATAL_ERROR "install test: MusubiConfig.cmake is not installed")
endif()
get_filename_component(package_dir "${package_config}" DIRECTORY)
foreach(file MusubiConfigVersion.cmake MusubiCoreTargets.cmake MusubiTestingTargets.cmake
        MusubiQmlTargets.cmake)
    if(NOT EXISTS ${package_dir}/${file})
        message(FATAL_ERROR "install test: ${package_dir}/${file} is not installed")
    endif()
endforeach()
file(GLOB_RECURSE qmldirs ${prefix}/qmldir)
list(FILTER qmldirs INCLUDE REGEX "/Musubi/qmldir$")
if(NOT qmldirs)
    message(FATAL_ERROR "install test: the QML module Musubi (qmldir) is not installed")
endif()

# The consumer is built like the project: same build type and sanitizers (a
# sanitized library needs a sanitized executable).
set(flags "")
if(SANITIZE)
    string(REPLACE ";" "," sanitizers "${SANITIZE}")
    set(flags "-fsanitize=${sanitizers} -fno-omit-frame-pointer")
endif()
run("configure the consumer"
    ${CMAKE_COMMAND} -G ${GENERATOR} -S ${SOURCE_DIR}/tests/install/consumer -B ${WORK_DIR}/consumer
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMAKE_PREFIX_PATH=${prefix} -DMUSUBI_EXPECTED_PREFIX=${prefix}/
    "-DCMAKE_CXX_FLAGS=${flags}" "-DCMAKE_EXE_LINKER_FLAGS=${flags}")
run("build the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/consumer)

# Nothing from the build tree may leak in: no QML_IMPORT_PATH, offscreen.
set(env ${CMAKE_COMMAND} -E env --unset=QML_IMPORT_PATH --unset=QML2_IMPORT_PATH
    QT_QPA_PLATFORM=offscreen)
run("run the consumer" ${env} ${WORK_DIR}/consumer/musubi_consumer)
message(STATUS "${last_output}")

# examples/hello-qml, unchanged, against the prefix: find_package(Musubi COMPONENTS Qml).
# (tests/examples runs it; here it has to configure and build.)
run("configure examples/hello-qml"
    ${CMAKE_COMMAND} -G ${GENERATOR} -S ${SOURCE_DIR}/examples/hello-qml -B ${WORK_DIR}/hello-qml
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMAKE_PREFIX_PATH=${prefix}
    "-DCMAKE_CXX_FLAGS=${flags}" "-DCMAKE_EXE_LINKER_FLAGS=${flags}")
run("build examples/hello-qml" ${CMAKE_COMMAND} --build ${WORK_DIR}/hello-qml)
file(STRINGS ${WORK_DIR}/hello-qml/CMakeCache.txt musubi_dir REGEX "^Musubi_DIR:")
if(NOT musubi_dir MATCHES "${prefix}/")
    message(FATAL_ERROR "install test: hello-qml did not use the installed package (${musubi_dir})")
endif()

# Components: an unknown one fails a REQUIRED find_package() with a message
# naming it; as an optional one it is reported not found, and Core alone loads
# neither the other components nor Qt Quick.
execute_process(COMMAND ${CMAKE_COMMAND} -G ${GENERATOR} -S ${SOURCE_DIR}/tests/install/components
        -B ${WORK_DIR}/components-unknown -DCMAKE_PREFIX_PATH=${prefix} -DPROBE=unknown
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(rc EQUAL 0 OR NOT out MATCHES "Bogus \\(unknown component")
    message(FATAL_ERROR "install test: a REQUIRED unknown component did not fail as expected (${rc}):\n${out}")
endif()
message(STATUS "install test: unknown component fails: ok")
run("optional components"
    ${CMAKE_COMMAND} -G ${GENERATOR} -S ${SOURCE_DIR}/tests/install/components
    -B ${WORK_DIR}/components-optional -DCMAKE_PREFIX_PATH=${prefix} -DPROBE=optional)

# The installed demos run from the prefix too.
foreach(demo musubi_demo musubi_widgets_demo)
    if(EXISTS ${prefix}/bin/${demo})
        run("run the installed ${demo}" ${env}
            ${prefix}/bin/${demo} --screenshot ${WORK_DIR}/${demo}.png --quit-after 30000)
        if(NOT EXISTS ${WORK_DIR}/${demo}.png)
            message(FATAL_ERROR "install test: ${demo} wrote no screenshot")
        endif()
    endif()
endforeach()
if(EXISTS ${prefix}/bin/musubi-cli)
    run("run the installed musubi-cli" ${prefix}/bin/musubi-cli --version)
endif()
