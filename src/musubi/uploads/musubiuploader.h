// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QObject>

class MusubiUploadJob;

class MUSUBI_CORE_EXPORT MusubiUploader : public QObject
{
    Q_OBJECT
public:
    explicit MusubiUploader(QObject *parent = nullptr);
    ~MusubiUploader() override;

    virtual void upload(MusubiUploadJob *job) = 0;
};
