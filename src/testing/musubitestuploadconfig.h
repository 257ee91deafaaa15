// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

struct MUSUBI_TESTING_EXPORT MusubiTestUploadConfig
{
    // A constructor (rather than aggregate initialisation) keeps the
    // positional form {accept, maxEntries, maxFileSize, chunkSize, chunkTimeout}
    // valid while the external-mode members below stay optional.
    MusubiTestUploadConfig(const QStringList &accept = {}, int maxEntries = 1,
                           qint64 maxFileSize = 8000000, int chunkSize = 64000,
                           int chunkTimeout = 10000)
        : accept(accept)
        , maxEntries(maxEntries)
        , maxFileSize(maxFileSize)
        , chunkSize(chunkSize)
        , chunkTimeout(chunkTimeout)
    { }

    QStringList accept;
    int maxEntries = 1;
    qint64 maxFileSize = 8000000;
    int chunkSize = 64000;
    int chunkTimeout = 10000;
    QString externalUploader;
    QJsonObject externalMeta;

    QJsonObject toJson() const;

    friend bool operator==(const MusubiTestUploadConfig &,
                           const MusubiTestUploadConfig &) = default;
};
