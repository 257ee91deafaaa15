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
#include "musubilogging_p.h"
#include "musubiroot.h"
#include "musubiuploadhost_p.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFuture>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QLoggingCategory>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QPromise>
#include <phoenixscheduler.h>

#include <memory>

class MusubiCache;
class MusubiStoreTree;
class PhoenixChannel;
class PhoenixPush;

namespace Musubi::detail {

class ConnectionPrivate;
class RootWire;

/*
    \internal
    One mount of a (module, id) on a connection, shared by every MusubiRoot
    holding it. Owns the MusubiStoreTree, the version, the pending commands and
    the recovery phase; how it is mounted on the socket is its RootWire's
    business (one per wire profile). The connection registers it; it deletes
    itself (later) when its last holder let go.

    Every asynchronous callback carries the generation it was started in
    (generation()); a drop, a recovery or a teardown bumps it so that a late
    reply from an earlier attempt can never touch the current one. Every timer
    runs on the connection's PhoenixScheduler.
*/
class MUSUBI_CORE_EXPORT RootMount : public QObject, public UploadHost
{
    Q_OBJECT
public:
    /* Where the mount stands. setPhase() is the one place that changes it (and the
        status that follows from it), with a log line under \c musubi.root. */
    enum class Phase {
        Mounting, // First attempt: join / mount sent, waiting for the initial patch.
        Live, // Envelopes apply in order.
        Rejoining, // The socket or channel dropped, or the server restarted the root.
        Recovering, // Version-gap recovery: remounting to get a fresh initial patch.
        Failed, // This attempt ended (errorString()); start() tries again.
        TornDown, // The last holder let go; the object goes away.
    };
    Q_ENUM(Phase)

    RootMount(ConnectionPrivate *connection, const QString &module, const QString &id,
              const QJsonObject &params);
    ~RootMount() override;

    QString module() const { return m_module; }
    QString id() const { return m_id; }
    // \c{"<module>:<id>"}: the registry key and the Profile R root id.
    QString key() const { return m_key; }
    // The root id used on the wire (a Profile S server may name it differently).
    QString wireRootId() const { return m_wireRootId; }
    void setWireRootId(const QString &rootId);
    QJsonObject params() const { return m_params; }
    Phase phase() const { return m_phase; }
    MusubiRoot::Status status() const { return m_status; }
    QString errorString() const { return m_errorString; }
    QJsonValue errorReply() const { return m_errorReply; }
    int version() const { return int(m_version); }
    // Whether an initial patch was ever accepted (a rejoin keeps the last good state).
    bool everLive() const { return m_everLive; }
    // Bumped by every drop, failure, recovery and teardown (see the class documentation).
    quint64 generation() const { return m_generation; }
    // Not torn down and not failed: the wire may mount it.
    bool canMount() const { return m_phase != Phase::TornDown && m_phase != Phase::Failed; }
    MusubiStoreTree *tree() const { return m_tree; }
    RootWire *wire() const { return m_wire.get(); }
    // Replaces the wire (the active profile changed); the old one is deleted.
    void setWire(std::unique_ptr<RootWire> wire);
    // Commands sent and not finished yet (introspection for leak checks in tests).
    int pendingCommandCount() const { return int(m_pending.size()); }
    // Commands waiting for the initial patch of a root showing cached state.
    int queuedCommandCount() const { return int(m_queued.size()); }

    // The mount cache (docs/cache.md): \a key names the entry this mount reads and writes.
    void useCache(const QString &key);
    // A holder opts out: the entry is removed and nothing is written any more.
    void refuseCache();
    QString cacheKey() const { return m_cacheKey; }
    // The state shown came from the cache and no live initial patch replaced it yet.
    bool isFromCache() const { return m_fromCache; }
    // Waiting for an initial patch (first mount, rejoin, recovery).
    bool isFetching() const
    {
        return m_phase == Phase::Mounting || m_phase == Phase::Rejoining
                || m_phase == Phase::Recovering;
    }
    // Writes the pending cache entry now (teardown, connection going away).
    void flushCache();
    // The cache seed: \a data (a wire tree) applied as an initial patch, version still 0.
    // Dropped when it lost the race to the live initial patch.
    void adoptSeed(const QJsonObject &data);

    QList<MusubiRoot *> holders() const;
    void addHolder(MusubiRoot *holder);
    // Returns true when this was the last holder (a teardown is then scheduled).
    bool removeHolder(MusubiRoot *holder);

    // Starts (or restarts after a failure) mounting with the connection's active profile.
    void start();
    // Socket or channel went down: commands fail Disconnected, last good state stays.
    void disconnected();
    // The connection is closing deliberately: leave the channel, keep the state.
    void connectionClosing();
    /* The server (re)starts this root (a join-ok, or a fresh shared channel): commands
        fail Disconnected, the version drops to 0 until the new initial patch. */
    void serverRootStarting();
    // The server accepted the mount: its initial patch should follow (bounded wait).
    void awaitInitialPatch();
    // A \c patch payload for this root.
    void handlePatch(const QJsonValue &payload);
    // Who refused: the server refused this root, or the whole connection (Profile S join).
    enum class Refusal { Root, Connection };
    // Ends the mount attempt with status Failed and \a message. A \a reply from the server
    // refusing the root (not the connection) also deletes its cache entry.
    void fail(const QString &message, const QJsonValue &reply = QJsonValue(QJsonValue::Undefined),
              Refusal refusal = Refusal::Root);

    QFuture<QJsonValue> dispatch(const QJsonArray &storeId, const QString &name,
                                 const QJsonObject &payload);
    // UploadHost: what the upload handles of this root's tree get from the runtime.
    PhoenixPush *pushRootEvent(const QString &event, const QJsonObject &payload,
                               int timeoutMs = -1) override;
    PhoenixChannel *uploadChannel(const QString &topic, const QJsonObject &joinPayload) override;
    MusubiUploader *uploader(const QString &name) const override;

    // Ends the mount on the wire and locally; the object deletes itself later.
    void teardown();

    // Trace records (MusubiTrace): built only while something listens.
    bool tracing() const;
    // The first record of a new mount (phase \c mounting).
    void traceMounting();
    // What the cache read found for this mount (\c hit, \c miss, \c evicted).
    void traceCache(const QJsonObject &found);

Q_SIGNALS:
    void statusChanged(MusubiRoot::Status status, MusubiRoot::Status oldStatus);
    void errorStringChanged();
    void versionChanged(int version);
    void wireRootIdChanged();
    void rootStoreChanged();
    void storesChanged(const QList<QJsonArray> &storeIds);
    void eventReceived(const QJsonArray &storeId, const QString &name, const QJsonValue &payload);
    void errorOccurred(const QString &message);
    void fromCacheChanged();
    void fetchingChanged();
    // The live initial patch replaced the state read from the cache.
    void revalidated();

private:
    struct QueuedCommand
    {
        std::shared_ptr<QPromise<QJsonValue>> promise;
        QJsonArray storeId;
        QString name;
        QJsonObject payload;
        quint64 id = 0;
        // The push timeout runs while queued, as for a push buffered by its channel.
        std::shared_ptr<PhoenixSingleShot> deadline;
    };
    struct PendingCommand
    {
        std::shared_ptr<QPromise<QJsonValue>> promise;
        QPointer<PhoenixPush> push;
        QMetaObject::Connection connection;
        QString name;
        QJsonArray storeId;
        QJsonObject payload; // for the trace
        QElapsedTimer sent; // started when pushed: the trace's latency
    };

    void traceRecord(const QString &kind, QJsonObject record);
    // Bytes of the frame being delivered (0 for a cache seed).
    qint64 frameSize() const;
    // \c base_version, \c version, the op and event counts and \c bytes of an envelope.
    static QJsonObject envelopeCounts(const QJsonObject &envelope, qint64 bytes);
    // A refused envelope (\a payload as received) and why.
    void traceRefused(const QJsonValue &payload, const QString &reason);
    // A command that ended: \a error empty for a success; \a sent null when never pushed.
    void traceCommand(const QJsonArray &storeId, const QString &name, const QJsonObject &payload,
                      const QString &error, const QJsonValue &reply, const QElapsedTimer *sent);

    // \a reason (why it recovers or failed) goes into the phase's trace record.
    void setPhase(Phase phase, const QString &reason = {});
    void setStatus(MusubiRoot::Status status);
    void setVersion(qint64 version);
    PhoenixChannel *commandChannel() const;
    // Ends every pending command; false when a trace listener let the mount go meanwhile.
    bool failCommands(MusubiCommandError::Kind kind);
    // Version-gap recovery; \a restart starts it over when it is already running.
    void startRecovery(const QString &why, bool restart = false);
    void initialPatchTimedOut();
    void failInitialPatch(const QString &message, const QJsonObject &envelope);
    void acceptEnvelope(const QJsonObject &envelope, qint64 version, bool initial);
    void dispatchEvents(const QJsonArray &events);
    PhoenixScheduler *scheduler() const;
    void sendQueued();
    // Ends every queued command; false when a trace listener let the mount go meanwhile.
    bool failQueued(MusubiCommandError::Kind kind);
    void queuedTimedOut(quint64 id);
    QFuture<QJsonValue> send(const QJsonArray &storeId, const QString &name,
                             const QJsonObject &payload,
                             std::shared_ptr<QPromise<QJsonValue>> promise = {});
    MusubiCache *cache() const;

    ConnectionPrivate *m_connection;
    QString m_module;
    QString m_id;
    QString m_key;
    QString m_wireRootId;
    QJsonObject m_params;
    MusubiStoreTree *m_tree = nullptr;
    std::unique_ptr<RootWire> m_wire;
    QList<QPointer<MusubiRoot>> m_holders;

    Phase m_phase = Phase::Mounting;
    MusubiRoot::Status m_status = MusubiRoot::Status::Connecting;
    QString m_errorString;
    QJsonValue m_errorReply = QJsonValue(QJsonValue::Undefined);
    qint64 m_version = 0;
    bool m_everLive = false;
    quint64 m_generation = 0;

    bool m_destroying = false; // in the destructor: no trace records
    QString m_cacheKey; // empty: this mount does not use the cache
    bool m_fromCache = false;
    QList<QueuedCommand> m_queued;

    QHash<quint64, PendingCommand> m_pending;
    quint64 m_nextCommand = 0;

    PhoenixSingleShot m_teardownTimer;
    PhoenixSingleShot m_initialPatchTimer;
    quint64 m_initialPatchGeneration = 0;
};

} // namespace Musubi::detail
