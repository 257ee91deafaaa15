# musubi_add_stores(<target> MANIFEST <dir> [QML_URI <uri>] [NAMESPACE <ns>])
#
# Typed stores from a Musubi codegen manifest (docs/codegen.md): runs musubi-codegen
# over <dir> (the _build/<env>/musubi-codegen directory of the Mix project, or a copy
# of it) whenever a .term file in it changes, and builds the result into a QML module
# <uri> (default MusubiStores) that <target> links:
#   C++  #include <<uri in lower case, dots dropped>.h>   e.g. <inboxtypes.h>
#   QML  import <uri>
# The module's backing library is <target>_musubistores (SHARED); its qmldir and plugin
# go to ${QT_QML_OUTPUT_DIRECTORY}/<uri path> (or <binary dir>/musubi_qml/<uri path>),
# and its resources under qrc:/qt-project.org/imports, so an executable that links it
# finds `import <uri>` without an import path.
#
# Call it once per target (it makes <target>_musubistores); a second target that needs the
# same types links <target>_musubistores.
#
# Available from find_package(Musubi COMPONENTS Qml) and from a build that
# add_subdirectory()s Musubi (that parent project find_package()s Qt6 Core and Qml
# itself: the Qt targets Musubi's own directory finds are not visible to it).
function(musubi_add_stores target)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "" "MANIFEST;QML_URI;NAMESPACE" "")
    if(ARG_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "musubi_add_stores(${target}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
    endif()
    if(NOT TARGET ${target})
        message(FATAL_ERROR "musubi_add_stores(${target}): no such target")
    endif()
    if(NOT ARG_MANIFEST)
        message(FATAL_ERROR "musubi_add_stores(${target}): MANIFEST <dir> is required")
    endif()
    if(NOT TARGET Musubi::codegen OR NOT TARGET Musubi::Qml)
        message(FATAL_ERROR "musubi_add_stores(${target}): needs Musubi::codegen and Musubi::Qml "
                            "(find_package(Musubi REQUIRED COMPONENTS Qml))")
    endif()
    if(NOT ARG_QML_URI)
        set(ARG_QML_URI MusubiStores)
    endif()
    get_filename_component(_manifest "${ARG_MANIFEST}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT IS_DIRECTORY "${_manifest}")
        message(FATAL_ERROR "musubi_add_stores(${target}): MANIFEST ${_manifest} is not a directory")
    endif()
    # CONFIGURE_DEPENDS: a module added or removed on the Mix side reconfigures.
    file(GLOB_RECURSE _terms CONFIGURE_DEPENDS "${_manifest}/*.term")
    if(NOT _terms)
        message(FATAL_ERROR "musubi_add_stores(${target}): no *.term file below ${_manifest} "
                            "(run `mix compile` in the Musubi project first)")
    endif()

    string(REPLACE "." "" _base "${ARG_QML_URI}")
    string(TOLOWER "${_base}" _base)
    set(_out "${CMAKE_CURRENT_BINARY_DIR}/${target}_musubistores")
    set(_lib ${target}_musubistores)
    set(_args --qml-uri ${ARG_QML_URI} --out ${_out})
    if(ARG_NAMESPACE)
        list(APPEND _args --namespace ${ARG_NAMESPACE})
    endif()
    # The options, as a file the rule depends on: changing QML_URI or NAMESPACE regenerates
    # with every generator (file(CONFIGURE) rewrites it only when they change).
    file(CONFIGURE OUTPUT ${_out}/${_base}.options CONTENT "${_args}\n")
    # musubi-codegen rewrites a file only when its content changes: the stamp is the
    # rule's output, the sources its byproducts (Ninja then rebuilds nothing else).
    add_custom_command(
        OUTPUT ${_out}/${_base}.stamp
        BYPRODUCTS ${_out}/${_base}.h ${_out}/${_base}.cpp
        COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
                $<TARGET_FILE:Musubi::codegen> ${_args} ${_manifest}
        COMMAND ${CMAKE_COMMAND} -E touch ${_out}/${_base}.stamp
        DEPENDS ${_terms} ${_out}/${_base}.options Musubi::codegen
        COMMENT "musubi-codegen: QML module ${ARG_QML_URI} from ${_manifest}"
        VERBATIM)
    add_custom_target(${_lib}_generate DEPENDS ${_out}/${_base}.stamp)
    set_source_files_properties(${_out}/${_base}.h ${_out}/${_base}.cpp PROPERTIES GENERATED TRUE)

    if(QT_QML_OUTPUT_DIRECTORY)
        set(_qml_root "${QT_QML_OUTPUT_DIRECTORY}")
    else()
        set(_qml_root "${CMAKE_CURRENT_BINARY_DIR}/musubi_qml")
    endif()
    string(REPLACE "." "/" _uri_path "${ARG_QML_URI}")
    qt_add_library(${_lib} SHARED)
    # The generated classes need moc, whether or not the calling project turned it on.
    set_target_properties(${_lib} PROPERTIES AUTOMOC ON)
    qt_add_qml_module(${_lib}
        URI ${ARG_QML_URI}
        VERSION 1.0
        OUTPUT_DIRECTORY "${_qml_root}/${_uri_path}"
        RESOURCE_PREFIX /qt-project.org/imports
        DEPENDENCIES Musubi
        SOURCES ${_out}/${_base}.h ${_out}/${_base}.cpp)
    add_dependencies(${_lib} ${_lib}_generate)
    string(TOUPPER "${_base}" _base_upper)
    target_compile_definitions(${_lib} PRIVATE MUSUBI_STORES_BUILD_${_base_upper})
    target_include_directories(${_lib} PUBLIC "$<BUILD_INTERFACE:${_out}>")
    target_link_libraries(${_lib} PUBLIC Musubi::Qml)
    target_link_libraries(${target} PUBLIC ${_lib})
    # The plugin (found through the import path, e.g. by qmllint and qmltestrunner).
    add_dependencies(${target} ${_lib}plugin)
    get_target_property(_type ${target} TYPE)
    if(_type STREQUAL "EXECUTABLE" AND CMAKE_SYSTEM_NAME STREQUAL "Linux")
        # A QML-only app calls nothing of the library; --as-needed (Debian's default)
        # would drop it and with it the module's registration and resources.
        target_link_options(${target} PRIVATE "LINKER:--no-as-needed")
    endif()
endfunction()
