// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include "musubicommanderror.h"
#include "musubiglobal.h"
#include "musubiroot.h"

#include <QtCore/QFuture>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QPromise>
#include <QtCore/QTimer>
#include <phoenixchannel.h>

#include <memory>

class MusubiStoreTree;
class PhoenixPush;

namespace Musubi::detail {

class ConnectionPrivate;

/*!
    \internal
    One mount of a (module, id) on a connection, shared by every MusubiRoot
    holding it. Owns the MusubiStoreTree, the version, the pending commands and
    the profile-specific wire state. The connection owns it; it is deleted
    (later) when its last holder let go.

    Every asynchronous callback carries the generation it was started in
    (m_generation); a drop, a recovery or a teardown bumps it so that a late
    reply from an earlier attempt can never touch the current one.
*/
class MUSUBI_CORE_EXPORT RootMount : public QObject
{
    Q_OBJECT
public:
    RootMount(ConnectionPrivate *connection, const QString &module, const QString &id,
              const QJsonObject &params);
    ~RootMount() override;

    QString module() const { return m_module; }
    QString id() const { return m_id; }
    //! \c{"<module>:<id>"}: the registry key and the Profile R root id.
    QString key() const { return m_key; }
    //! The root id used on the wire (Profile S may name it differently).
    QString wireRootId() const { return m_wireRootId; }
    QJsonObject params() const { return m_params; }
    MusubiRoot::Status status() const { return m_status; }
    QString errorString() const { return m_errorString; }
    QJsonValue errorReply() const { return m_errorReply; }
    int version() const { return int(m_version); }
    MusubiStoreTree *tree() const { return m_tree; }
    //! Commands sent and not finished yet (introspection for leak checks in tests).
    int pendingCommandCount() const { return int(m_pending.size()); }

    QList<MusubiRoot *> holders() const;
    void addHolder(MusubiRoot *holder);
    //! Returns true when this was the last holder (a teardown is then scheduled).
    bool removeHolder(MusubiRoot *holder);

    //! Starts (or restarts after a failure) mounting with the connection's active profile.
    void start();
    //! Profile S: the shared channel joined (first join or rejoin): mount again.
    void sharedJoined();
    //! Socket or channel went down: commands fail Disconnected, last good state stays.
    void disconnected();
    //! The connection is closing deliberately: leave the channel, keep the state.
    void connectionClosing();
    //! Profile S: a \c patch whose root_id may be ours.
    bool acceptsSharedRootId(const QString &rootId) const;
    void handlePatch(const QJsonValue &payload);

    QFuture<QJsonValue> dispatch(const QJsonArray &storeId, const QString &name,
                                 const QJsonObject &payload);
    PhoenixPush *pushRootEvent(const QString &event, const QJsonObject &payload, int timeoutMs);

    //! Ends the mount on the wire and locally; the object deletes itself later.
    void teardown();

    static QFuture<QJsonValue> failedCommand(const MusubiCommandError &error);

Q_SIGNALS:
    void statusChanged(MusubiRoot::Status status, MusubiRoot::Status oldStatus);
    void errorStringChanged();
    void versionChanged(int version);
    void wireRootIdChanged();
    void rootStoreChanged();
    void storesChanged(const QList<QJsonArray> &storeIds);
    void eventReceived(const QJsonArray &storeId, const QString &name, const QJsonValue &payload);
    void errorOccurred(const QString &message);

private:
    struct PendingCommand
    {
        std::shared_ptr<QPromise<QJsonValue>> promise;
        QPointer<PhoenixPush> push;
        QMetaObject::Connection connection;
        QString name;
        QJsonArray storeId;
    };

    bool isPerRoot() const;
    PhoenixChannel *commandChannel() const;
    void setStatus(MusubiRoot::Status status);
    void setVersion(qint64 version);
    void setWireRootId(const QString &rootId);
    void fail(const QString &message, const QJsonValue &reply = QJsonValue(QJsonValue::Undefined));

public:
    //! Ends the mount attempt with status Failed and \a message.
    void failWith(const QString &message,
                  const QJsonValue &reply = QJsonValue(QJsonValue::Undefined))
    {
        fail(message, reply);
    }

private:
    void failCommands(MusubiCommandError::Kind kind);
    void startRecovery(const QString &why);

    // Profile R
    void joinRootChannel();
    void dropRootChannel();
    void onRootJoined(const QJsonValue &response, quint64 generation);
    void onRootJoinFailed(const QJsonValue &response);
    void onRootJoinTimedOut();

    // Profile S
    void sendMount();
    void sendUnmountThenMount(const QString &rootId);
    void sendUnmount(const QString &rootId);
    void failInitialPatch(const QString &message, const QJsonObject &envelope);
    void awaitInitialPatch();
    void initialPatchTimedOut();
    void onMountReply(int result, const QJsonValue &response);

    void acceptEnvelope(const QJsonObject &envelope, qint64 version, bool initial);
    void dispatchEvents(const QJsonArray &events);

    ConnectionPrivate *m_connection;
    QString m_module;
    QString m_id;
    QString m_key;
    QString m_wireRootId;
    QJsonObject m_params;
    MusubiStoreTree *m_tree = nullptr;
    QList<QPointer<MusubiRoot>> m_holders;

    MusubiRoot::Status m_status = MusubiRoot::Status::Connecting;
    QString m_errorString;
    QJsonValue m_errorReply = QJsonValue(QJsonValue::Undefined);
    qint64 m_version = 0;
    bool m_everLive = false;
    bool m_recovering = false;
    bool m_awaitingMountReply = false; // Profile S: a mount push is in flight
    bool m_mountSent = false; // Profile S: mounted (or mounting) on the current shared join
    int m_alreadyMountedRetries = 0;
    bool m_tornDown = false;
    quint64 m_generation = 0;

    QPointer<PhoenixChannel> m_channel; // Profile R
    QHash<quint64, PendingCommand> m_pending;
    quint64 m_nextCommand = 0;

    QList<QJsonArray> m_changedStores;
    bool m_applying = false;
    QPointer<MusubiStore> m_rootStore;
    QTimer m_teardownTimer;
    QTimer m_reopenTimer;
    QTimer m_initialPatchTimer;
    quint64 m_initialPatchGeneration = 0;
};

} // namespace Musubi::detail
