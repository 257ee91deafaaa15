# Uploads: the upload handle and its entries, transfers, external uploaders (docs/protocol.md §8).
target_sources(musubi_core PRIVATE
    musubiuploadentrymodel.h musubiuploadentrymodel.cpp
    musubiuploadjob.h musubiuploadjob.cpp
    musubiuploader.h musubiuploader.cpp
    musubihttpuploader.h musubihttpuploader.cpp
    musubiuploadtransfer_p.h musubiuploadtransfer.cpp
)
