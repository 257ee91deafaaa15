// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include "musubiroot.h"

#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

namespace Musubi::detail {

class RootMount;

/*
    \internal
    The private part of a MusubiRoot: its identity, its hold on a RootMount and
    the state it mirrors from it (status, version, error).
*/
class RootPrivate
{
public:
    explicit RootPrivate(MusubiRoot *q)
        : q(q)
    { }
    static RootPrivate *get(MusubiRoot *root) { return root->d.get(); }

    // Takes \a mount's state and signals (a new hold).
    void attach(RootMount *mount);
    // Lets go of the mount's signals; the root becomes Unmounted.
    void detach();
    void setStatus(MusubiRoot::Status status);
    void setErrorString(const QString &message);
    void syncErrorReply();
    void syncReady();
    void syncFromMount();

    // Declarative behaviour (roots created by QML only).
    bool shouldBeMounted() const;
    void scheduleUpdate(bool remount);
    void update();
    void trackConnection();

    MusubiRoot *q;
    QPointer<MusubiConnection> connection;
    QString module;
    QString instanceId;
    QVariantMap params;
    QPointer<RootMount> mount;
    MusubiRoot::Status status = MusubiRoot::Status::Unmounted;
    QString errorString;
    int version = 0;
    bool mounted = false;
    bool ready = false;
    QJsonValue errorReply = QJsonValue(QJsonValue::Undefined);
    QList<QMetaObject::Connection> mountConnections;

    bool active = true;
    bool cacheEnabled = true; // the \c cache property
    bool fromCache = false; // mirrored from the mount
    bool fetching = false; // mirrored from the mount
    void syncCacheState();
    bool declarative = false; // classBegin() was called: created by QML.
    bool complete = false; // componentComplete() was called.
    bool remountQueued = false;
    // A real 0 ms timer (see scheduleUpdate()); created by classBegin().
    QTimer *updateTimer = nullptr;
    QMetaObject::Connection connectionUsable;
};

} // namespace Musubi::detail
