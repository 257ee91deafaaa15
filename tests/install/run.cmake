# run(<what> <command> [args...]) for the install scripts (cmake -P): runs the
# command, fails the test with its output when it fails, and leaves the output
# in last_output. RUN_LABEL names the test in the messages.
function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${RUN_LABEL}: ${what} failed (${rc}):\n${out}")
    endif()
    message(STATUS "${RUN_LABEL}: ${what}: ok")
    set(last_output "${out}" PARENT_SCOPE)
endfunction()
