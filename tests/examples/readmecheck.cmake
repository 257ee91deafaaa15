# The README's quick start is examples/hello-qml, verbatim: each file of the
# example appears in README.md as it is, so the code a reader copies is the
# code CI builds and runs.
# cmake -DREADME=<README.md> -DEXAMPLE_DIR=<examples/hello-qml> -P readmecheck.cmake
file(READ ${README} readme)
foreach(name Main.qml main.cpp CMakeLists.txt)
    file(READ ${EXAMPLE_DIR}/${name} content)
    string(LENGTH "${content}" length)
    if(length LESS 200)
        message(FATAL_ERROR "readme check: ${EXAMPLE_DIR}/${name} is missing or too short")
    endif()
    # Inside a fenced block: the file follows an opening fence line and is
    # followed by the closing one.
    string(FIND "${readme}" "\n${content}```\n" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "readme check: README.md does not contain ${name} of "
            "${EXAMPLE_DIR} verbatim (as a whole fenced code block):\n${content}")
    endif()
    message(STATUS "readme check: ${name} ok")
endforeach()
