// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include "musubiconnection.h"

#include <QtCore/QHash>
#include <QtCore/QJsonValue>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <phoenixchannel.h>

class PhoenixSocket;

namespace Musubi::detail {

class RootMount;

/*!
    \internal
    State of a MusubiConnection: configuration, the socket, the shared channel
    (Profile S and Auto detection) and the registry of mounts by
    \c{"<module>:<id>"}.
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
    //! Called by a mount that finished its teardown.
    void forget(RootMount *mount);

    bool isOpen() const { return m_opened; }
    bool socketOpen() const;
    bool sharedJoined() const;
    PhoenixChannel *sharedChannel() const { return m_shared; }
    //! Makes sure the shared channel exists and is joining (Profile S / Auto).
    void ensureSharedChannel();
    QString rootTopic(const QString &rootId) const;

    void open();
    void close();

    void setStatus(MusubiConnection::Status status);
    void setActiveProtocol(MusubiConnection::Protocol protocol);
    void reportError(const QString &message);

    MusubiConnection *q;
    PhoenixSocket *socket = nullptr;
    QUrl url;
    QVariantMap params;
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

private:
    void onSocketStatusChanged(int status, int oldStatus);
    void onSharedJoined();
    void onSharedJoinFailed(const QJsonValue &response);
    void onSharedJoinTimedOut();
    void onSharedDown();
    void onSharedClosed();
    void onSharedMessage(const QString &event, const QJsonValue &payload);
    void startAll();
    void dropShared();

    QPointer<PhoenixChannel> m_shared;
    bool m_sharedEverJoined = false;
    bool m_opened = false;
    bool m_fallbackLogged = false;
};

} // namespace Musubi::detail
