// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include "musubiconnection.h"

#include "musubilogging_p.h"

#include <QtCore/QHash>
#include <QtCore/QJsonValue>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <phoenixchannel.h>

class MusubiCache;
class MusubiTrace;
class PhoenixSocket;

namespace Musubi::detail {

class RootMount;
class RootWire;
class SharedChannel;

/*
    \internal
    State of a MusubiConnection: configuration, the socket, the registry of
    mounts by \c{"<module>:<id>"} and the choice of wire profile: wireFor()
    gives a mount the RootWire of a profile, attach() starts it on the active
    one. The Profile S channel and the Auto detection are SharedChannel's.
*/
class MUSUBI_CORE_EXPORT ConnectionPrivate : public QObject
{
    Q_OBJECT
public:
    explicit ConnectionPrivate(MusubiConnection *q);
    ~ConnectionPrivate() override;

    RootMount *acquire(MusubiRoot *holder, const QString &module, const QString &id,
                       const QJsonObject &params);
    void release(MusubiRoot *holder, RootMount *mount);
    // Called by a mount that finished its teardown.
    void forget(RootMount *mount);

    bool isOpen() const { return m_opened; }
    QString rootTopic(const QString &rootId) const;
    // Mounts \a mount on the wire of the active profile (Auto: the shared channel decides).
    void attach(RootMount *mount);
    // The wire of \a protocol for \a mount, replacing one of the other profile.
    RootWire *wireFor(RootMount *mount, MusubiConnection::Protocol protocol);
    // Starts every mount that has not failed (open, or Auto chose per-root channels).
    void startAll();

    void open();
    void close();
    // Hands the properties (url, params, provider, ...) to the socket.
    void configureSocket();

    void setStatus(MusubiConnection::Status status);
    void setActiveProtocol(MusubiConnection::Protocol protocol);
    void reportError(const QString &message);
    // The provider's params for the next attempt (C++ first, then QML).
    QVariantMap providedParams() const;

    /* Whether roots may mount on the connection now: always for one created
        in C++; for one created by QML, once complete, active and with a URL. */
    bool isUsable() const
    {
        return !declarative || (wantActive && complete && url.isValid() && !url.isEmpty());
    }
    // Opens or closes a connection created by QML after isUsable() changed.
    void updateDeclarative();

    MusubiConnection *q;
    PhoenixSocket *socket = nullptr;
    QUrl url;
    QVariantMap params;
    std::function<QVariantMap()> paramsProvider;
    QJSValue jsParamsProvider;
    QList<int> unauthorizedCodes{401, 403};
    MusubiConnection::Protocol protocol = MusubiConnection::Protocol::Auto;
    MusubiConnection::Protocol active = MusubiConnection::Protocol::Auto;
    QString baseTopic;
    int heartbeatInterval = 30000;
    int joinTimeout = 10000;
    int pushTimeout = 10000;
    MusubiConnection::Status status = MusubiConnection::Status::Closed;
    QString errorString;
    QHash<QString, RootMount *> mounts;
    QHash<QString, QPointer<QObject>> uploaders;
    SharedChannel *shared = nullptr;
    MusubiCache *cache = nullptr; // child of q: the QML grouped property \c cache
    MusubiTrace *trace = nullptr; // child of q: records for inspectors, built only when listened to

    bool wantActive = true; // The \c active property.
    bool declarative = false; // classBegin() was called: created by QML.
    bool complete = false; // componentComplete() was called.
    bool wasUsable = false;
    // One reopen per event-loop turn after settings changed; created by classBegin().
    QTimer *reopenTimer = nullptr;

Q_SIGNALS:
    // isUsable() changed (roots created by QML follow it).
    void usableChanged();

private:
    void onSocketStatusChanged(int status, int oldStatus);

    bool m_opened = false;
};

} // namespace Musubi::detail
