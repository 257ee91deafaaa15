// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include "musubiupload.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QStringList>

namespace Musubi::detail {

class UploadTransfer;

// The state of a MusubiUpload handle.
struct UploadPrivate
{
    struct Pending
    {
        QString ref;
        QString filePath;
        QString mode; // "channel" or "external"
        QString token;
        QString uploader;
        QJsonObject meta;
    };
    struct Selected
    {
        QString path;
        QString name;
        qint64 size = 0;
        QString type;
    };

    QStringList storeId;
    QString name;
    MusubiUpload::Status status = MusubiUpload::Status::Idle;
    QStringList accept;
    int maxEntries = 1;
    qint64 maxFileSize = 8000000;
    int chunkSize = 64000;
    QJsonArray errors;
    QJsonArray rejected;
    MusubiUploadEntryModel *model = nullptr;
    int progress = 0;

    quint64 generation = 0; // bumped by select()/reset(): stale preflight replies are dropped
    QList<Selected> selected;
    QList<Pending> pending; // accepted, not started
    QHash<QString, Musubi::detail::UploadTransfer *> transfers;
    bool anyTransferFailed = false;
    QJsonArray runErrors;
    bool started = false;
    QStringList cancelQueue;
    bool cancelling = false;
    bool awaitingPreflight = false;
    bool startAfterPreflight = false; // start() was called while the preflight was pending
    // Entries of a page server that went down with the connection: a new one
    // knows none of them, so they go once the root is live again (§12).
    QStringList staleRefs;
};

} // namespace Musubi::detail
