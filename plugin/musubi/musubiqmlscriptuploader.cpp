// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmlscriptuploader.h"

#include <QtCore/QMetaMethod>
#include <QtQml/QQmlInfo>

using namespace Qt::StringLiterals;

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
