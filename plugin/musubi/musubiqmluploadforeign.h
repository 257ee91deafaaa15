// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// QML registration of the upload types of musubi_core (PROTOCOL.md §8). The
// handle itself (MusubiUpload) is registered in musubiqmlforeign.h.
#include "musubiupload.h"
#include "musubiuploadentrymodel.h"

#include <QtQml/qqml.h>

/*!
    \qmltype MusubiUploadEntryModel
    \inqmlmodule Musubi
    \brief The entries of a MusubiUpload as a list model (\c{upload.entryModel}).

    Roles: \c ref, \c clientName, \c clientSize, \c clientType, \c progress
    (0–100), \c status (\c pending, \c uploading, \c success, \c error),
    \c errors, \c errorString and \c isPending / \c isUploading /
    \c isSuccess / \c isError / \c isCancelled. Changes arrive as row
    signals, so per-file progress bars update in place:

    \qml
    FileDialog {
        id: dialog
        fileMode: FileDialog.OpenFiles
        onAccepted: { store.avatar.select(selectedFiles); store.avatar.start() }
    }
    ListView {
        model: store.avatar.entryModel
        delegate: ProgressBar { required property int progress; value: progress / 100 }
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
