// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestmount.h"
#include "musubiteststore.h"

#include <QtCore/QHash>
#include <QtCore/QPointer>

namespace Musubi::detail {
class TestRootSession;
}

// Queued stream ops of one stream of one store, per flush cycle.
struct MusubiTestStreamQueue
{
    bool reset = false;
    QJsonArray inserts;
    QJsonArray deletes;
};

class MusubiTestStorePrivate
{
public:
    QJsonObject state;
    MusubiTestStore::Renderer renderer;
    QStringList localId;
    QPointer<MusubiTestStore> parentStore;
    QList<QPair<QStringList, QPointer<MusubiTestStore>>> children;
    QHash<QString, MusubiTestStore::CommandHandler> commands;

    // Streams: refs are a per-store slot counter, assigned on first use.
    mutable QHash<QString, int> streamRefs;
    mutable int nextStreamRef = 0;
    QStringList streamOrder; // first-touch order within the current cycle
    QHash<QString, MusubiTestStreamQueue> streamQueues;
    QJsonArray events;
    QJsonArray uploadOps;
    QStringList uploadNames;
    QHash<QString, MusubiTestUploadConfig> uploads;
    // PubSub (musubitestserverpubsub.cpp).
    QStringList subscriptions;
    QHash<QString, MusubiTestStore::InfoHandler> infoHandlers;

    // Root only.
    QPointer<Musubi::detail::TestRootSession> session;
    MusubiTestMount mount;

    QString streamRef(const QString &stream) const
    {
        auto it = streamRefs.constFind(stream);
        if (it == streamRefs.constEnd())
            it = streamRefs.insert(stream, nextStreamRef++);
        return QString::number(it.value());
    }
    void clearQueues()
    {
        streamOrder.clear();
        streamQueues.clear();
        events = {};
        uploadOps = {};
    }
    static MusubiTestStorePrivate *get(MusubiTestStore *store) { return store->d.get(); }
};
