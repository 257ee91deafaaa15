# Where the QML modules of this build are found, for applications and for
# Qt Creator (included from the top-level CMakeLists.txt, after
# QT_QML_OUTPUT_DIRECTORY is set).
#
# Musubi_QML_IMPORT_DIR: the directory an application adds to its engine's
#   import path (QQmlEngine::addImportPath). find_package(Musubi) sets the same
#   variable for an install; under add_subdirectory() it is set in the scope of
#   the directory that added Musubi, so an application's CMakeLists reads it
#   the same way in both cases.
# QML_IMPORT_PATH: the cache entry Qt Creator reads for its QML code model.
#   Top level: a default only; a value given with -D or already in the cache is
#   left alone. Below a parent project: the parent's entries stay and ours is
#   appended once. A parent that sets the cache entry with FORCE *after*
#   add_subdirectory(musubi) replaces ours; it then lists
#   ${Musubi_QML_IMPORT_DIR} itself.
if(NOT MUSUBI_BUILD_QML)
    return()
endif()

set(Musubi_QML_IMPORT_DIR ${QT_QML_OUTPUT_DIRECTORY})
if(PROJECT_IS_TOP_LEVEL)
    set(QML_IMPORT_PATH ${QT_QML_OUTPUT_DIRECTORY} CACHE STRING
        "Import paths for Qt Creator's QML code model")
    return()
endif()

set(Musubi_QML_IMPORT_DIR ${QT_QML_OUTPUT_DIRECTORY} PARENT_SCOPE)
if(DEFINED CACHE{QML_IMPORT_PATH})
    set(_musubi_import_paths "$CACHE{QML_IMPORT_PATH}")
    if(NOT QT_QML_OUTPUT_DIRECTORY IN_LIST _musubi_import_paths)
        list(APPEND _musubi_import_paths ${QT_QML_OUTPUT_DIRECTORY})
        # Only the value changes: the entry's type and help string stay the parent's.
        set_property(CACHE QML_IMPORT_PATH PROPERTY VALUE "${_musubi_import_paths}")
    endif()
    unset(_musubi_import_paths)
else()
    set(QML_IMPORT_PATH ${QT_QML_OUTPUT_DIRECTORY} CACHE STRING
        "Import paths for Qt Creator's QML code model")
endif()
