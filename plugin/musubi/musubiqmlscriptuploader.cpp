// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmlscriptuploader.h"

#include <QtCore/QMetaMethod>
#include <QtQml/QQmlInfo>

using namespace Qt::StringLiterals;

/*!
    \qmltype MusubiScriptUploader
    \inqmlmodule Musubi
    \inherits MusubiUploader
    \brief An external-mode uploader (docs/protocol.md §8.7) written in QML.

    Each external entry the server hands to this uploader arrives as
    uploadRequested(job). The handler sends \c job.filePath wherever
    \c job.meta says, reports progress with \c job.reportProgress(percent)
    and ends the job exactly once with \c job.finish() or
    \c job.fail(message); when the client cancels (\c cancel(), \c reset(), a
    dropped connection) the job emits \c cancelled() and the handler should
    stop. Register it on the connection under the name the server's
    preflight reply uses:

    \code
    MusubiConnection {
        url: "ws://127.0.0.1:4000/socket"
        uploaders: ({ s3: presignedPut })
    }
    MusubiScriptUploader {
        id: presignedPut
        onUploadRequested: job => myTransferService.put(job.filePath, job.meta.url, job)
    }
    \endcode

    An entry given to an uploader without an \c onUploadRequested handler
    fails at once. For a plain HTTP PUT to \c meta.url, MusubiHttpUploader
    needs no script at all.

    \sa MusubiHttpUploader, MusubiUploadJob
*/

/*!
    \qmlsignal MusubiScriptUploader::uploadRequested(MusubiUploadJob job)

    A transfer to perform; \a job stays valid until it finished or was cancelled.
*/

MusubiQmlScriptUploader::MusubiQmlScriptUploader(QObject *parent)
    : MusubiUploader(parent)
{ }

MusubiQmlScriptUploader::~MusubiQmlScriptUploader() = default;

void MusubiQmlScriptUploader::upload(MusubiUploadJob *job)
{
    static const QMetaMethod requested =
            QMetaMethod::fromSignal(&MusubiQmlScriptUploader::uploadRequested);
    if (!isSignalConnected(requested)) {
        // Nobody would ever end the job: fail it rather than leave it running.
        qmlWarning(this) << "no onUploadRequested handler: entry " << job->ref() << " fails";
        job->fail(u"MusubiScriptUploader has no onUploadRequested handler"_s);
        return;
    }
    Q_EMIT uploadRequested(job);
}
