// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// QML registration of the upload types of musubi_core (docs/protocol.md §8). The
// handle itself (MusubiUpload) is registered in musubiqmlforeign.h.
#include "musubihttpuploader.h"
#include "musubiupload.h"
#include "musubiuploadentrymodel.h"
#include "musubiuploader.h"
#include "musubiuploadjob.h"

#include <QtQml/qqml.h>

struct MusubiUploadEntryModelForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiUploadEntryModel)
    QML_NAMED_ELEMENT(MusubiUploadEntryModel)
    QML_UNCREATABLE("Entry models belong to a MusubiUpload (upload.entryModel).")
};

// MusubiUploadEntry is a gadget (a value type to QML). qmllint (Qt 6.4) does not resolve
// enums of an upper-case value type name, so QML gets the same enum through a namespace
// whose values are defined from MusubiUploadEntry::Status.
namespace MusubiUploadEntryForeign {
Q_NAMESPACE
QML_NAMED_ELEMENT(MusubiUploadEntry)

enum class Status {
    Pending = int(MusubiUploadEntry::Status::Pending),
    Uploading = int(MusubiUploadEntry::Status::Uploading),
    Succeeded = int(MusubiUploadEntry::Status::Succeeded),
    Failed = int(MusubiUploadEntry::Status::Failed),
    Cancelled = int(MusubiUploadEntry::Status::Cancelled),
};
Q_ENUM_NS(Status)
} // namespace MusubiUploadEntryForeign

struct MusubiUploaderForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiUploader)
    QML_NAMED_ELEMENT(MusubiUploader)
    QML_UNCREATABLE("MusubiUploader is abstract: use MusubiHttpUploader or MusubiScriptUploader.")
};

struct MusubiHttpUploaderForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiHttpUploader)
    QML_NAMED_ELEMENT(MusubiHttpUploader)
};

struct MusubiUploadJobForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiUploadJob)
    QML_NAMED_ELEMENT(MusubiUploadJob)
    QML_UNCREATABLE("Upload jobs are created by the client for an uploader.")
};
