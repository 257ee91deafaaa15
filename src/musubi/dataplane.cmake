# Data plane: patch engine, store tree, stores, streams, upload state.
target_sources(musubi_core PRIVATE
    musubistoretree.h musubistoretree_p.h musubistoretree.cpp
    musubistore.h musubistore.cpp
    musubistreammodel.h musubistreamop_p.h musubistreammodel.cpp
    musubiupload.h musubiupload.cpp
    musubiwiretree_p.h musubiwiretree.cpp
    musubijson_p.h
)
include(${CMAKE_CURRENT_LIST_DIR}/uploads.cmake)
