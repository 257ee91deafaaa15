// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiuploader.h"

class QNetworkAccessManager;

class MUSUBI_CORE_EXPORT MusubiHttpUploader : public MusubiUploader
{
    Q_OBJECT
public:
    explicit MusubiHttpUploader(QObject *parent = nullptr);
    ~MusubiHttpUploader() override;

    QNetworkAccessManager *networkAccessManager() const;
    void setNetworkAccessManager(QNetworkAccessManager *manager);

    void upload(MusubiUploadJob *job) override;

private:
    QNetworkAccessManager *m_manager = nullptr;
    bool m_ownsManager = false;
};
