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

/*!
    \qmltype MusubiUploadEntryModel
    \inqmlmodule Musubi
    \brief The entries of a MusubiUpload as a list model (\c{upload.entryModel}).

    Roles: \c ref, \c clientName, \c clientSize, \c clientType, \c progress
    (0–100), \c status (a MusubiUploadEntry status: \c{MusubiUploadEntry.Pending},
    \c Uploading, \c Succeeded, \c Failed, \c Cancelled), \c errors and
    \c errorString. \c{get(ref)} returns the same fields as an object. Changes
    arrive as row signals, so per-file progress bars update in place:

    \qml
    FileDialog {
        id: dialog
        fileMode: FileDialog.OpenFiles
        // start() during the preflight starts the accepted files once it is answered.
        onAccepted: { store.avatar.select(selectedFiles); store.avatar.start() }
    }
    ListView {
        model: store.avatar.entryModel
        delegate: ProgressBar {
            required property int progress
            required property int status
            value: progress / 100
            enabled: status !== MusubiUploadEntry.Failed
        }
    }
    \endqml
*/
struct MusubiUploadEntryModelForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiUploadEntryModel)
    QML_NAMED_ELEMENT(MusubiUploadEntryModel)
    QML_UNCREATABLE("Entry models belong to a MusubiUpload (upload.entryModel).")
};

/*!
    \qmltype MusubiUploadEntry
    \inqmlmodule Musubi
    \brief The status values of an upload entry (enumeration only).

    \c{MusubiUploadEntry.Pending}, \c Uploading, \c Succeeded, \c Failed and
    \c Cancelled (reserved, never assigned), as the \c status role of
    MusubiUploadEntryModel and the \c status field of \c{upload.entries[i]}
    hold them. The wire strings (\c success, \c error, ...) never reach QML.

    \qml
    Label {
        required property int status
        required property string errorString
        text: status === MusubiUploadEntry.Failed ? errorString : ""
    }
    \endqml
*/
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

/*!
    \qmltype MusubiUploader
    \inqmlmodule Musubi
    \brief The base of external-mode uploaders (MusubiHttpUploader,
    MusubiScriptUploader, or a C++ subclass exposed to QML).

    Uploaders are registered on a connection by name:
    \c{MusubiConnection { uploaders: ({ s3: uploader }) }}.
*/
struct MusubiUploaderForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiUploader)
    QML_NAMED_ELEMENT(MusubiUploader)
    QML_UNCREATABLE("MusubiUploader is abstract: use MusubiHttpUploader or MusubiScriptUploader.")
};

/*!
    \qmltype MusubiHttpUploader
    \inqmlmodule Musubi
    \brief The built-in external uploader: an HTTP PUT of the file to \c meta.url.

    Request headers come from \c meta.headers; the body is streamed from disk
    and progress is reported as it goes. A status outside 2xx fails the entry
    with \c{"PUT <status>"}. Register it in MusubiConnection's \c uploaders
    under the name the server asks for (\c{uploaders: ({ s3: http })}).
*/
struct MusubiHttpUploaderForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiHttpUploader)
    QML_NAMED_ELEMENT(MusubiHttpUploader)
};

/*!
    \qmltype MusubiUploadJob
    \inqmlmodule Musubi
    \brief One external-mode transfer handed to an uploader.

    Properties: \c ref, \c entry (the wire entry), \c filePath, \c size,
    \c clientType, \c uploaderName and \c meta (the server's opaque object,
    e.g. \c{{url, headers}}). Methods: \c reportProgress(percent),
    \c finish(), \c fail(message). Signal: \c cancelled().
*/
struct MusubiUploadJobForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiUploadJob)
    QML_NAMED_ELEMENT(MusubiUploadJob)
    QML_UNCREATABLE("Upload jobs are created by the client for an uploader.")
};
