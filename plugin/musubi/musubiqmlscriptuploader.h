// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiuploader.h"
#include "musubiuploadjob.h"

#include <QtQml/qqml.h>

class MusubiQmlScriptUploader : public MusubiUploader
{
    Q_OBJECT
    QML_NAMED_ELEMENT(MusubiScriptUploader)

public:
    explicit MusubiQmlScriptUploader(QObject *parent = nullptr);
    ~MusubiQmlScriptUploader() override;

    void upload(MusubiUploadJob *job) override;

Q_SIGNALS:
    // A transfer to perform; job stays valid until it finished or was cancelled.
    void uploadRequested(MusubiUploadJob *job);
};
