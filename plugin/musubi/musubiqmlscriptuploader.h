// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiuploader.h"
#include "musubiuploadjob.h"

#include <QtQml/qqml.h>

/*!
    \qmltype MusubiScriptUploader
    \inqmlmodule Musubi
    \brief An external-mode uploader (docs/protocol.md §8.7) written in QML.

    Each external entry the server hands to this uploader arrives as
    uploadRequested(job). The handler sends \c job.filePath wherever
    \c job.meta says, reports progress with \c job.reportProgress(percent)
    and ends the job exactly once with \c job.finish() or
    \c job.fail(message); when the client cancels (cancel(), reset(), a
    dropped connection) the job emits \c cancelled() and the handler should
    stop. Register it on the connection under the name the server's
    preflight reply uses:

    \qml
    MusubiConnection {
        url: "ws://127.0.0.1:4000/socket"
        uploaders: ({ s3: presignedPut })
    }
    MusubiScriptUploader {
        id: presignedPut
        onUploadRequested: job => myTransferService.put(job.filePath, job.meta.url, job)
    }
    \endqml

    An entry given to an uploader without an \c onUploadRequested handler
    fails at once. For a plain HTTP PUT to \c meta.url, MusubiHttpUploader
    needs no script at all.

    \sa MusubiHttpUploader, MusubiConnection
*/
class MusubiQmlScriptUploader : public MusubiUploader
{
    Q_OBJECT
    QML_NAMED_ELEMENT(MusubiScriptUploader)

public:
    explicit MusubiQmlScriptUploader(QObject *parent = nullptr);
    ~MusubiQmlScriptUploader() override;

    void upload(MusubiUploadJob *job) override;

Q_SIGNALS:
    //! A transfer to perform; \a job stays valid until it finished or was cancelled.
    void uploadRequested(MusubiUploadJob *job);
};
