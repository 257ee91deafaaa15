// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubirootmount_p.h"

#include "musubicache.h"
#include "musubicache_p.h"
#include "musubicommanderror_p.h"
#include "musubiconnection_p.h"
#include "musubijson_p.h"
#include "musubirootwire_p.h"
#include "musubistore.h"
#include "musubistoretree.h"
#include "musubistoretree_p.h"
#include "musubitrace_p.h"
#include "musubiuploader.h"

#include <phoenixchannel.h>
#include <phoenixpush.h>
#include <phoenixsocket.h>

#include <QtCore/QMetaEnum>

#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace Musubi::detail {

namespace {

// Commands a root showing cached state keeps for its initial patch (docs/cache.md).
constexpr int MaxQueuedCommands = 32;

// The status a phase shows (setPhase()); a torn-down mount has no holder left.
MusubiRoot::Status statusOf(RootMount::Phase phase)
{
    switch (phase) {
    case RootMount::Phase::Mounting:
        return MusubiRoot::Status::Connecting;
    case RootMount::Phase::Live:
        return MusubiRoot::Status::Live;
    case RootMount::Phase::Rejoining:
    case RootMount::Phase::Recovering:
        return MusubiRoot::Status::Reconnecting;
    case RootMount::Phase::Failed:
        return MusubiRoot::Status::Failed;
    case RootMount::Phase::TornDown:
        break;
    }
    return MusubiRoot::Status::Unmounted;
}

QString statusName(MusubiRoot::Status status)
{
    return TraceSink::enumName(QMetaEnum::fromType<MusubiRoot::Status>().valueToKey(int(status)));
}

// A non-negative integral JSON number, or -1.
qint64 versionField(const QJsonObject &object, QLatin1String key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return -1;
    const double number = value.toDouble();
    if (number < 0 || number > double(std::numeric_limits<int>::max()) || number != qint64(number))
        return -1;
    return qint64(number);
}

bool isStoreId(const QJsonValue &value)
{
    if (!value.isArray())
        return false;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &segment : array) {
        if (!segment.isString())
            return false;
    }
    return true;
}

// The envelope predicate (docs/protocol.md §4.1): anything else is not an envelope.
bool isEnvelope(const QJsonObject &object, QString *why)
{
    if (object.value("type"_L1) != "patch"_L1) {
        *why = u"type is not \"patch\""_s;
        return false;
    }
    if (versionField(object, "base_version"_L1) < 0 || versionField(object, "version"_L1) < 0) {
        *why = u"base_version/version are not non-negative integers"_s;
        return false;
    }
    if (!object.value("ops"_L1).isArray() || !object.value("stream_ops"_L1).isArray()) {
        *why = u"ops/stream_ops are not arrays"_s;
        return false;
    }
    for (const auto key : {"upload_ops"_L1, "events"_L1}) {
        const QJsonValue value = object.value(key);
        if (!value.isUndefined() && !value.isArray()) {
            *why = key + u" is not an array"_s;
            return false;
        }
    }
    const QJsonValue rootId = object.value("root_id"_L1);
    if (!rootId.isUndefined() && !rootId.isString()) {
        *why = u"root_id is not a string"_s;
        return false;
    }
    return true;
}

} // namespace

RootMount::RootMount(ConnectionPrivate *connection, const QString &module, const QString &id,
                     const QJsonObject &params)
    : m_connection(connection)
    , m_module(module)
    , m_id(id)
    , m_key(module + u':' + id)
    , m_wireRootId(m_key)
    , m_params(params)
    , m_tree(new MusubiStoreTree(this))
{
    m_tree->setCommandDispatcher(
            [this](const QJsonArray &storeId, const QString &name, const QJsonObject &payload) {
                return dispatch(storeId, name, payload);
            });
    connect(m_tree, &MusubiStoreTree::rootStoreChanged, this, &RootMount::rootStoreChanged);
    StoreTreePrivate::get(m_tree)->uploadHost = this;
}

RootMount::~RootMount()
{
    m_destroying = true; // no trace records from a mount being deleted
    failQueued(MusubiCommandError::Kind::Disconnected);
    failCommands(MusubiCommandError::Kind::Disconnected);
}

MusubiCache *RootMount::cache() const
{
    return m_connection->q->cache();
}

PhoenixScheduler *RootMount::scheduler() const
{
    return m_connection->socket->scheduler();
}

void RootMount::setWire(std::unique_ptr<RootWire> wire)
{
    // The old wire may be on the stack (a slot of ours switched profiles): it lets go of
    // its channel at once and goes away later.
    if (m_wire) {
        m_wire->retire();
        m_wire.release()->deleteLater();
    }
    m_wire = std::move(wire);
}

QList<MusubiRoot *> RootMount::holders() const
{
    QList<MusubiRoot *> result;
    for (const auto &holder : m_holders) {
        if (holder)
            result.append(holder);
    }
    return result;
}

void RootMount::addHolder(MusubiRoot *holder)
{
    m_teardownTimer.cancel();
    if (!m_holders.contains(holder))
        m_holders.append(holder);
}

bool RootMount::removeHolder(MusubiRoot *holder)
{
    m_holders.removeAll(holder);
    m_holders.removeAll(nullptr);
    if (!m_holders.isEmpty())
        return false;
    // A 0 ms grace: a release followed by a mount of the same root in the same
    // event-loop turn (a QML delegate being recreated) keeps the mount.
    m_teardownTimer.start(scheduler(), 0, this, [this] { teardown(); });
    return true;
}

PhoenixChannel *RootMount::commandChannel() const
{
    PhoenixChannel *channel = m_wire ? m_wire->channel() : nullptr;
    if (!channel || channel->state() != PhoenixChannel::State::Joined)
        return nullptr;
    return channel;
}

// The one place the phase changes; the status follows from it.
void RootMount::setPhase(Phase phase, const QString &reason)
{
    if (m_phase == phase)
        return;
    const QMetaEnum names = QMetaEnum::fromType<Phase>();
    qCDebug(lcMusubiRoot).noquote() << m_key << "phase" << names.valueToKey(int(m_phase)) << "->"
                                    << names.valueToKey(int(phase));
    const bool wasFetching = isFetching();
    const Phase old = m_phase;
    m_phase = phase;
    if (tracing()) {
        QJsonObject record{{u"phase"_s, TraceSink::enumName(names.valueToKey(int(phase)))},
                           {u"old"_s, TraceSink::enumName(names.valueToKey(int(old)))},
                           {u"status"_s, statusName(statusOf(phase))},
                           {u"version"_s, m_version}};
        if (!reason.isEmpty())
            record.insert(u"reason"_s, reason);
        QPointer<RootMount> guard(this);
        traceRecord(u"phase"_s, std::move(record));
        if (!guard)
            return;
    }
    if (wasFetching != isFetching()) {
        QPointer<RootMount> guard(this);
        Q_EMIT fetchingChanged();
        if (!guard)
            return;
    }
    switch (phase) {
    case Phase::Mounting:
        setStatus(MusubiRoot::Status::Connecting);
        break;
    case Phase::Live:
        setStatus(MusubiRoot::Status::Live);
        break;
    case Phase::Rejoining:
    case Phase::Recovering:
        setStatus(MusubiRoot::Status::Reconnecting);
        break;
    case Phase::Failed:
        setStatus(MusubiRoot::Status::Failed);
        break;
    case Phase::TornDown:
        break;
    }
}

void RootMount::setStatus(MusubiRoot::Status status)
{
    if (m_status == status)
        return;
    const auto old = m_status;
    m_status = status;
    qCDebug(lcMusubiRoot).noquote() << m_key << "status" << old << "->" << status;
    QPointer<RootMount> guard(this);
    Q_EMIT statusChanged(status, old);
    if (!guard)
        return;
    // The server's upload state dies with its page server: uploads are not resumable.
    if (status == MusubiRoot::Status::Reconnecting)
        StoreTreePrivate::get(m_tree)->uploadsConnectionLost();
    else if (status == MusubiRoot::Status::Live)
        StoreTreePrivate::get(m_tree)->uploadsRemounted();
}

void RootMount::setVersion(qint64 version)
{
    if (m_version == version)
        return;
    m_version = version;
    Q_EMIT versionChanged(int(version));
}

void RootMount::setWireRootId(const QString &rootId)
{
    if (m_wireRootId == rootId)
        return;
    m_wireRootId = rootId;
    Q_EMIT wireRootIdChanged();
}

void RootMount::start()
{
    if (m_phase == Phase::TornDown)
        return;
    if (m_phase == Phase::Failed) {
        m_errorReply = QJsonValue(QJsonValue::Undefined);
        if (!m_errorString.isEmpty()) {
            m_errorString.clear();
            Q_EMIT errorStringChanged();
        }
        setPhase(m_everLive ? Phase::Rejoining : Phase::Mounting);
    }
    if (m_connection->isOpen())
        m_connection->attach(this); // else open() starts every mount
}

void RootMount::serverRootStarting()
{
    // A fresh server root: whatever was in flight on the old one is gone.
    ++m_generation;
    if (!failCommands(MusubiCommandError::Kind::Disconnected))
        return;
    setVersion(0);
    if (m_everLive && m_phase == Phase::Live)
        setPhase(Phase::Rejoining);
}

void RootMount::disconnected()
{
    ++m_generation;
    if (!failCommands(MusubiCommandError::Kind::Disconnected))
        return;
    if (m_wire)
        m_wire->connectionLost();
    if (m_phase == Phase::TornDown)
        return;
    // Keep the last good state; only the version says "not live" (docs/protocol.md §12).
    setVersion(0);
    if (m_phase == Phase::Live || m_phase == Phase::Recovering)
        setPhase(Phase::Rejoining);
}

void RootMount::connectionClosing()
{
    // Closed on purpose: nothing brings the live state that queued commands wait for.
    if (!failQueued(MusubiCommandError::Kind::Disconnected))
        return;
    QPointer<RootMount> guard(this);
    disconnected();
    if (guard && m_wire)
        m_wire->closing();
}

void RootMount::fail(const QString &message, const QJsonValue &reply, Refusal refusal)
{
    m_errorReply = reply;
    ++m_generation;
    if (!failQueued(MusubiCommandError::Kind::MountFailed))
        return;
    // The server refused this root: its saved state must not come back on the next start.
    if (!reply.isUndefined() && refusal == Refusal::Root && !m_cacheKey.isEmpty()) {
        if (MusubiCache *store = cache()) {
            qCDebug(lcMusubiCache).noquote() << m_cacheKey << ": mount refused, evicting";
            CachePrivate::get(store)->forget(m_cacheKey);
        }
    }
    if (!failCommands(MusubiCommandError::Kind::Disconnected))
        return;
    m_initialPatchTimer.cancel();
    // A refused mount must be given up on the wire, or it would be retried forever.
    if (m_wire)
        m_wire->abandon();
    setVersion(0);
    qCWarning(lcMusubiRoot).noquote() << m_key << ":" << message;
    QPointer<RootMount> guard(this);
    if (m_errorString != message) {
        m_errorString = message;
        Q_EMIT errorStringChanged();
        if (!guard)
            return;
    }
    setPhase(Phase::Failed, message);
    if (!guard)
        return;
    Q_EMIT errorOccurred(message);
}

bool RootMount::failCommands(MusubiCommandError::Kind kind)
{
    if (m_pending.isEmpty())
        return true;
    const auto pending = std::exchange(m_pending, {});
    QPointer<RootMount> guard(this);
    for (const PendingCommand &command : pending) {
        // A trace listener may have let the mount go: the promises still end.
        if (guard) {
            disconnect(command.connection);
            qCDebug(lcMusubiCommand).noquote() << m_key << "command" << command.name
                                               << "failed:" << MusubiCommandError::kindName(kind);
            if (tracing()) {
                traceCommand(command.storeId, command.name, command.payload,
                             MusubiCommandError::kindName(kind), QJsonValue::Undefined,
                             &command.sent);
            }
        }
        command.promise->setException(MusubiCommandError(kind, command.name, command.storeId));
        command.promise->finish();
    }
    return !guard.isNull();
}

// Recovery (docs/protocol.md §11): keep the last good state, drop the version, let the
// wire give up the diverged server root and mount afresh; the fresh initial patch
// (0 → 1) swaps the state in and makes the root live again.
void RootMount::startRecovery(const QString &why, bool restart)
{
    if (m_phase == Phase::TornDown || (m_phase == Phase::Recovering && !restart))
        return;
    qCWarning(lcMusubiRoot).noquote() << m_key << ":" << why << "; recovering";
    ++m_generation;
    if (!failCommands(MusubiCommandError::Kind::VersionMismatch))
        return;
    setVersion(0);
    QPointer<RootMount> guard(this);
    setPhase(Phase::Recovering, why);
    if (!guard)
        return;
    Q_EMIT errorOccurred(why);
    if (m_wire)
        m_wire->remount();
}

// A server accepted the join or mount: its initial patch should follow at once (the
// reference client waits forever; a bounded wait keeps a root from hanging in Connecting).
void RootMount::awaitInitialPatch()
{
    m_initialPatchGeneration = m_generation;
    m_initialPatchTimer.start(scheduler(), qMax(1, m_connection->joinTimeout), this,
                              [this] { initialPatchTimedOut(); });
}

void RootMount::initialPatchTimedOut()
{
    // A drop, rejoin, recovery or failure since the timer was armed started a new attempt.
    if (!canMount() || m_generation != m_initialPatchGeneration || m_version != 0)
        return;
    const QString message = u"Root mount timed out: no initial patch"_s;
    if (m_everLive) {
        startRecovery(message, true); // the recovery itself stalled: start it over
        return;
    }
    failInitialPatch(message, QJsonObject());
}

// The first initial patch of a mount is unusable. The server started the root all the
// same: the wire gives it back, so that the server does not keep a root nobody reads.
void RootMount::failInitialPatch(const QString &message, const QJsonObject &envelope)
{
    if (m_wire) {
        const QJsonValue named = envelope.value("root_id"_L1);
        m_wire->giveBack(named.isString() ? named.toString() : QString());
    }
    fail(message);
}

// --- Envelopes ----------------------------------------------------------------

void RootMount::handlePatch(const QJsonValue &payload)
{
    if (!canMount())
        return;
    QString why;
    if (!payload.isObject() || !isEnvelope(payload.toObject(), &why)) {
        if (why.isEmpty())
            why = u"not a JSON object"_s;
        qCWarning(lcMusubiRoot).noquote()
                << m_key << ": dropping a patch payload that is not an envelope:" << why;
        if (tracing())
            traceRefused(payload, u"not an envelope: "_s + why);
        return;
    }
    const QJsonObject envelope = payload.toObject();
    if (m_wire && !m_wire->acceptsEnvelope(envelope.value("root_id"_L1))) {
        qCWarning(lcMusubiRoot).noquote() << m_key << ": dropping an envelope addressed to"
                                          << envelope.value("root_id"_L1).toString();
        if (tracing()) {
            traceRefused(payload,
                         u"addressed to another root: "_s
                                 + envelope.value("root_id"_L1).toString());
        }
        return;
    }
    const qint64 base = versionField(envelope, "base_version"_L1);
    const qint64 version = versionField(envelope, "version"_L1);
    if (m_version == 0) {
        if (base != 0 || version != 1) {
            if (m_phase == Phase::Recovering) {
                // Late envelopes of the diverged server root; the fresh mount starts at 0→1.
                qCDebug(lcMusubiRoot).noquote() << m_key << "ignoring envelope" << base << "->"
                                                << version << "while recovering";
                if (tracing())
                    traceRefused(payload,
                                 u"late envelope of the diverged root, while recovering"_s);
                return;
            }
            const QString message = u"Initial patch envelope must start at version 1"_s;
            if (tracing()) {
                QPointer<RootMount> guard(this);
                traceRefused(payload, message);
                if (!guard)
                    return;
            }
            if (m_everLive)
                startRecovery(message); // a rejoin must not stay stuck at 0
            else
                failInitialPatch(message, envelope);
            return;
        }
        acceptEnvelope(envelope, version, true);
        return;
    }
    if (base != m_version || version != m_version + 1) {
        const QString why = QStringLiteral("version gap: at %1, received %2 -> %3")
                                    .arg(m_version)
                                    .arg(base)
                                    .arg(version);
        if (tracing()) {
            QPointer<RootMount> guard(this);
            traceRefused(payload, why);
            if (!guard)
                return;
        }
        startRecovery(why);
        return;
    }
    acceptEnvelope(envelope, version, false);
}

void RootMount::acceptEnvelope(const QJsonObject &envelope, qint64 version, bool initial)
{
    QPointer<RootMount> guard(this);
    const qint64 previous = m_version;
    // Set first so that store changed() handlers already read the new version (and, for
    // the live initial patch of a root showing cached state, fromCache false).
    m_version = version;
    const bool revalidating = initial && m_fromCache;
    m_fromCache = m_fromCache && !initial;
    const bool traced = tracing();
    QElapsedTimer applyTimer;
    if (traced)
        applyTimer.start();
    const ApplyOutcome outcome = StoreTreePrivate::get(m_tree)->apply(envelope);
    const qint64 applyUs = traced ? applyTimer.nsecsElapsed() / 1000 : 0;
    if (!guard)
        return;
    if (outcome.error) {
        m_version = previous;
        m_fromCache = m_fromCache || revalidating;
        const QString message = u"Patch rejected: "_s + outcome.error->toString();
        if (traced && tracing()) {
            traceRefused(envelope, message);
            if (!guard)
                return;
        }
        if (initial && !m_everLive)
            failInitialPatch(message, envelope);
        else
            startRecovery(message);
        return;
    }
    if (traced && tracing()) {
        QJsonObject record = envelopeCounts(envelope, frameSize());
        record.insert(u"accepted"_s, true);
        record.insert(u"initial"_s, initial);
        record.insert(u"apply_us"_s, applyUs);
        QJsonArray changed;
        for (const QJsonArray &storeId : outcome.changed)
            changed.append(storeId);
        record.insert(u"changed"_s, changed);
        traceRecord(u"envelope"_s, std::move(record));
        if (!guard)
            return;
    }
    Q_EMIT versionChanged(int(version));
    if (!guard)
        return;
    Q_EMIT storesChanged(outcome.changed);
    if (!guard)
        return;
    dispatchEvents(outcome.events);
    if (!guard)
        return;
    if (revalidating) {
        Q_EMIT fromCacheChanged();
        if (!guard)
            return;
    }
    if (initial && m_version == version) {
        m_initialPatchTimer.cancel();
        m_everLive = true;
        if (m_wire)
            m_wire->mounted();
        setPhase(Phase::Live);
        if (!guard)
            return;
        if (revalidating) {
            qCDebug(lcMusubiCache).noquote() << m_key << ": revalidated by the live initial patch";
            if (tracing()) {
                traceCache({{u"result"_s, u"revalidated"_s}});
                if (!guard)
                    return;
            }
            Q_EMIT revalidated();
            if (!guard)
                return;
        }
        sendQueued();
        if (!guard)
            return;
    }
    if (!m_cacheKey.isEmpty() && m_version == version && m_phase == Phase::Live) {
        if (MusubiCache *store = cache(); store && store->isEnabled()) {
            CachePrivate::get(store)->changed(m_cacheKey, this, [this] { return m_tree->tree(); });
        }
    }
}

// --- Cache ------------------------------------------------------------------------

void RootMount::useCache(const QString &key)
{
    m_cacheKey = key;
}

void RootMount::refuseCache()
{
    if (m_cacheKey.isEmpty())
        return;
    qCDebug(lcMusubiCache).noquote() << m_key << ": a holder opts out of the cache";
    if (MusubiCache *store = cache())
        CachePrivate::get(store)->forget(m_cacheKey);
    m_cacheKey.clear();
}

void RootMount::flushCache()
{
    if (m_cacheKey.isEmpty())
        return;
    if (MusubiCache *store = cache())
        CachePrivate::get(store)->flush(m_cacheKey);
}

// The seed goes through the same checks and limits as a server's initial patch; the
// version stays 0 (not live), so the live initial patch (0 -> 1) replaces it and only
// what differs is announced.
void RootMount::adoptSeed(const QJsonObject &data)
{
    if (m_cacheKey.isEmpty()) {
        qCDebug(lcMusubiCache).noquote() << m_key << ": a holder opted out; cached state dropped";
        return;
    }
    if (!canMount() || m_version != 0 || m_everLive
        || StoreTreePrivate::get(m_tree)->wire.hasRoot()) {
        qCDebug(lcMusubiCache).noquote()
                << m_key << ": the cached state lost the race to the live state; dropped";
        if (tracing())
            traceCache(
                    {{u"result"_s, u"dropped"_s}, {u"reason"_s, u"the live state came first"_s}});
        return;
    }
    // A server's initial patch always renders the root store; an entry without one is not
    // a state of this root.
    if (data.value("__musubi_store_id__"_L1) != QJsonValue(QJsonArray())) {
        qCWarning(lcMusubiCache).noquote()
                << m_cacheKey << ": ignoring and deleting the cached state: it is not a root store";
        if (tracing()) {
            QPointer<RootMount> guard(this);
            traceCache({{u"result"_s, u"evicted"_s}, {u"reason"_s, u"not a root store"_s}});
            if (!guard)
                return;
        }
        if (MusubiCache *store = cache(); store && !m_cacheKey.isEmpty())
            CachePrivate::get(store)->forget(m_cacheKey);
        return;
    }
    const QJsonObject envelope{
            {u"type"_s, u"patch"_s},
            {u"base_version"_s, 0},
            {u"version"_s, 1},
            {u"ops"_s,
             QJsonArray{
                     QJsonObject{{u"op"_s, u"replace"_s}, {u"path"_s, u""_s}, {u"value"_s, data}}}},
            {u"stream_ops"_s, QJsonArray()},
    };
    QPointer<RootMount> guard(this);
    m_fromCache = true; // what the store signals of the seed already read
    const ApplyOutcome outcome = StoreTreePrivate::get(m_tree)->apply(envelope);
    if (!guard)
        return;
    if (outcome.error) {
        m_fromCache = false;
        qCWarning(lcMusubiCache).noquote()
                << m_key
                << ": ignoring and deleting the cached state:" << outcome.error->toString();
        if (tracing()) {
            traceCache({{u"result"_s, u"evicted"_s}, {u"reason"_s, outcome.error->toString()}});
            if (!guard)
                return;
        }
        if (MusubiCache *store = cache(); store && !m_cacheKey.isEmpty())
            CachePrivate::get(store)->forget(m_cacheKey);
        return;
    }
    qCDebug(lcMusubiCache).noquote() << m_key << ": showing the cached state";
    Q_EMIT fromCacheChanged();
    if (!guard)
        return;
    Q_EMIT storesChanged(outcome.changed);
}

void RootMount::sendQueued()
{
    if (m_queued.isEmpty())
        return;
    QPointer<RootMount> guard(this);
    const auto queued = std::exchange(m_queued, {});
    qCDebug(lcMusubiCommand).noquote()
            << m_key << ": sending" << queued.size() << "commands queued behind the initial patch";
    for (const QueuedCommand &command : queued) {
        command.deadline->cancel();
        if (!guard) {
            command.promise->setException(MusubiCommandError(MusubiCommandError::Kind::Unmounted,
                                                             command.name, command.storeId));
            command.promise->finish();
            continue;
        }
        send(command.storeId, command.name, command.payload, command.promise);
    }
}

// Never sent: it cannot have run. Like a push buffered by a channel, it is not sent
// after its timeout.
void RootMount::queuedTimedOut(quint64 id)
{
    const auto it = std::find_if(m_queued.begin(), m_queued.end(),
                                 [id](const QueuedCommand &command) { return command.id == id; });
    if (it == m_queued.end())
        return;
    const QueuedCommand command = *it;
    m_queued.erase(it);
    qCDebug(lcMusubiCommand).noquote()
            << m_key << "queued command" << command.name << "timed out before the live state";
    if (tracing()) {
        traceCommand(command.storeId, command.name, command.payload,
                     MusubiCommandError::kindName(MusubiCommandError::Kind::Timeout),
                     QJsonValue::Undefined, nullptr);
    }
    command.promise->setException(MusubiCommandError(
            MusubiCommandError::Kind::Timeout, command.name, command.storeId, QJsonValue::Undefined,
            QStringLiteral("Command \"%1\" timed out: not sent, the root did not go live in time")
                    .arg(command.name)));
    command.promise->finish();
}

bool RootMount::failQueued(MusubiCommandError::Kind kind)
{
    if (m_queued.isEmpty())
        return true;
    const auto queued = std::exchange(m_queued, {});
    QPointer<RootMount> guard(this);
    for (const QueuedCommand &command : queued) {
        command.deadline->cancel();
        if (guard) {
            qCDebug(lcMusubiCommand).noquote() << m_key << "queued command" << command.name
                                               << "failed:" << MusubiCommandError::kindName(kind);
            if (tracing()) {
                traceCommand(command.storeId, command.name, command.payload,
                             MusubiCommandError::kindName(kind), QJsonValue::Undefined, nullptr);
            }
        }
        command.promise->setException(MusubiCommandError(kind, command.name, command.storeId));
        command.promise->finish();
    }
    return !guard.isNull();
}

void RootMount::dispatchEvents(const QJsonArray &events)
{
    QPointer<RootMount> guard(this);
    for (const QJsonValue &value : events) {
        const QJsonObject event = value.toObject();
        const QJsonValue name = event.value("name"_L1);
        const QJsonValue storeIdValue = event.value("store_id"_L1);
        if (!value.isObject() || !name.isString()
            || !(storeIdValue.isUndefined() || storeIdValue.isNull() || isStoreId(storeIdValue))) {
            qCWarning(lcMusubiRoot).noquote()
                    << m_key << ": dropping a malformed event" << compactJson(value);
            continue;
        }
        // Early 0.13 events are root-scoped and carry no store_id.
        const QJsonArray storeId = storeIdValue.toArray();
        const QJsonValue payload =
                event.contains("payload"_L1) ? event.value("payload"_L1) : QJsonValue();
        if (tracing()) {
            traceRecord(u"event"_s,
                        {{u"store_id"_s, storeId},
                         {u"name"_s, name.toString()},
                         {u"payload"_s, payload}});
            if (!guard)
                return;
        }
        Q_EMIT eventReceived(storeId, name.toString(), payload);
        if (!guard)
            return;
        // Only an object someone holds can have listeners; none is made for an event.
        if (MusubiStore *store = m_tree->existingStore(storeId))
            store->deliverEvent(name.toString(), payload);
        if (!guard)
            return;
    }
}

// --- Commands -------------------------------------------------------------------

QFuture<QJsonValue> RootMount::dispatch(const QJsonArray &storeId, const QString &name,
                                        const QJsonObject &payload)
{
    // A root showing cached state takes commands for its live state (docs/protocol.md §10.2).
    // A command dispatched while the queue is sent (from a handler of the revalidating
    // patch's signals) goes behind it. Closed on purpose, nothing will come: refused.
    const bool waiting = m_fromCache && m_version == 0
            && (m_phase == Phase::Mounting || m_phase == Phase::Rejoining);
    if ((waiting || !m_queued.isEmpty()) && m_connection->isOpen() && canMount()) {
        if (m_queued.size() >= MaxQueuedCommands) {
            qCWarning(lcMusubiCommand).noquote()
                    << m_key << "command" << name << "rejected:" << MaxQueuedCommands
                    << "commands already wait for the live state";
            if (tracing()) {
                traceCommand(storeId, name, payload,
                             MusubiCommandError::kindName(MusubiCommandError::Kind::NotConnected),
                             QJsonValue::Undefined, nullptr);
            }
            return failedCommand(MusubiCommandError(
                    MusubiCommandError::Kind::NotConnected, name, storeId, QJsonValue::Undefined,
                    QStringLiteral("Command \"%1\": not connected, and %2 commands already wait "
                                   "for the live state")
                            .arg(name)
                            .arg(MaxQueuedCommands)));
        }
        QueuedCommand command{
                std::make_shared<QPromise<QJsonValue>>(), storeId, name, payload, ++m_nextCommand,
                std::make_shared<PhoenixSingleShot>()};
        command.promise->start();
        QFuture<QJsonValue> future = command.promise->future();
        const quint64 id = command.id;
        command.deadline->start(scheduler(), qMax(1, m_connection->pushTimeout), this,
                                [this, id] { queuedTimedOut(id); });
        m_queued.append(std::move(command));
        qCDebug(lcMusubiCommand).noquote()
                << m_key << "command" << name << "queued behind the initial patch";
        return future;
    }
    return send(storeId, name, payload);
}

QFuture<QJsonValue> RootMount::send(const QJsonArray &storeId, const QString &name,
                                    const QJsonObject &payload,
                                    std::shared_ptr<QPromise<QJsonValue>> promise)
{
    PhoenixChannel *channel =
            m_phase == Phase::TornDown || m_version == 0 ? nullptr : commandChannel();
    if (!channel) {
        qCDebug(lcMusubiCommand).noquote()
                << m_key << "command" << name << "rejected: not connected";
        if (tracing()) {
            traceCommand(storeId, name, payload,
                         MusubiCommandError::kindName(MusubiCommandError::Kind::NotConnected),
                         QJsonValue::Undefined, nullptr);
        }
        const MusubiCommandError error(MusubiCommandError::Kind::NotConnected, name, storeId);
        if (promise) {
            promise->setException(error);
            promise->finish();
            return promise->future();
        }
        return failedCommand(error);
    }
    const QJsonObject body =
            m_wire->address({{u"store_id"_s, storeId}, {u"name"_s, name}, {u"payload"_s, payload}});
    PhoenixPush *push = channel->push(u"command"_s, body, m_connection->pushTimeout);

    PendingCommand command;
    command.promise = promise ? std::move(promise) : std::make_shared<QPromise<QJsonValue>>();
    if (!command.promise->future().isStarted())
        command.promise->start();
    command.push = push;
    command.name = name;
    command.storeId = storeId;
    if (tracing()) { // what the command's trace record needs
        command.payload = payload;
        command.sent.start();
    }
    const quint64 key = ++m_nextCommand;
    command.connection =
            connect(push, &PhoenixPush::finished, this,
                    [this, key](PhoenixPush::Result result, const QJsonValue &response) {
                        const auto it = m_pending.find(key);
                        if (it == m_pending.end())
                            return;
                        const PendingCommand command = it.value();
                        m_pending.erase(it);
                        // Never retried: a failed or timed-out command may still have run.
                        std::optional<MusubiCommandError::Kind> kind;
                        switch (result) {
                        case PhoenixPush::Result::Ok:
                            break;
                        case PhoenixPush::Result::Error:
                            kind = MusubiCommandError::Kind::Failed;
                            break;
                        case PhoenixPush::Result::Timeout:
                            kind = MusubiCommandError::Kind::Timeout;
                            break;
                        case PhoenixPush::Result::Failed:
                            kind = MusubiCommandError::Kind::Disconnected;
                            break;
                        }
                        if (kind) {
                            command.promise->setException(MusubiCommandError(
                                    *kind, command.name, command.storeId,
                                    result == PhoenixPush::Result::Error
                                            ? response
                                            : QJsonValue(QJsonValue::Undefined)));
                        } else {
                            command.promise->addResult(response);
                        }
                        qCDebug(lcMusubiCommand).noquote()
                                << m_key << "command" << command.name << "finished" << result;
                        // The promise is the command's own: it finishes even if a listener lets the
                        // mount go.
                        if (tracing()) {
                            // A reply's response; a timeout or a lost socket has none.
                            const bool replied = result == PhoenixPush::Result::Ok
                                    || result == PhoenixPush::Result::Error;
                            traceCommand(command.storeId, command.name, command.payload,
                                         kind ? MusubiCommandError::kindName(*kind) : QString(),
                                         replied ? response : QJsonValue(QJsonValue::Undefined),
                                         &command.sent);
                        }
                        command.promise->finish();
                    });
    QFuture<QJsonValue> future = command.promise->future();
    m_pending.insert(key, command);
    qCDebug(lcMusubiCommand).noquote() << m_key << "command" << name << "sent";
    return future;
}

PhoenixPush *RootMount::pushRootEvent(const QString &event, const QJsonObject &payload,
                                      int timeoutMs)
{
    PhoenixChannel *channel = m_phase == Phase::TornDown ? nullptr : commandChannel();
    if (!channel)
        return nullptr;
    return channel->push(event, m_wire->address(payload),
                         timeoutMs < 0 ? m_connection->pushTimeout : timeoutMs);
}

// Transfers start only for a root someone holds: not during the teardown grace, never after.
PhoenixChannel *RootMount::uploadChannel(const QString &topic, const QJsonObject &joinPayload)
{
    if (m_phase == Phase::TornDown || holders().isEmpty())
        return nullptr;
    return m_connection->socket->channel(topic, joinPayload);
}

MusubiUploader *RootMount::uploader(const QString &name) const
{
    if (m_phase == Phase::TornDown || holders().isEmpty())
        return nullptr;
    return qobject_cast<MusubiUploader *>(m_connection->uploaders.value(name).data());
}

// --- Teardown ---------------------------------------------------------------------

// --- Trace ---------------------------------------------------------------------------

namespace {

qsizetype arraySize(const QJsonObject &object, QLatin1String key)
{
    const QJsonValue value = object.value(key);
    return value.isArray() ? value.toArray().size() : 0;
}

} // namespace

bool RootMount::tracing() const
{
    return !m_destroying && TraceSink::listening(m_connection->trace);
}

qint64 RootMount::frameSize() const
{
    return m_connection->socket ? m_connection->socket->currentFrameSize() : 0;
}

QJsonObject RootMount::envelopeCounts(const QJsonObject &envelope, qint64 bytes)
{
    QJsonObject record;
    for (const auto key : {"base_version"_L1, "version"_L1}) {
        if (envelope.contains(key))
            record.insert(key, envelope.value(key));
    }
    record.insert(u"ops"_s, arraySize(envelope, "ops"_L1));
    record.insert(u"stream_ops"_s, arraySize(envelope, "stream_ops"_L1));
    record.insert(u"upload_ops"_s, arraySize(envelope, "upload_ops"_L1));
    record.insert(u"events"_s, arraySize(envelope, "events"_L1));
    record.insert(u"bytes"_s, bytes);
    return record;
}

void RootMount::traceRecord(const QString &kind, QJsonObject record)
{
    record.insert(u"root"_s, m_key);
    TraceSink::emitRecord(m_connection->trace, kind, std::move(record));
}

void RootMount::traceMounting()
{
    if (!tracing())
        return;
    traceRecord(u"phase"_s,
                {{u"phase"_s,
                  TraceSink::enumName(QMetaEnum::fromType<Phase>().valueToKey(int(m_phase)))},
                 {u"old"_s, QJsonValue::Null},
                 {u"status"_s, statusName(m_status)},
                 {u"version"_s, m_version}});
}

void RootMount::traceCache(const QJsonObject &found)
{
    if (!tracing())
        return;
    QJsonObject record = found;
    record.insert(u"key"_s, m_cacheKey);
    traceRecord(u"cache"_s, std::move(record));
}

void RootMount::traceRefused(const QJsonValue &payload, const QString &reason)
{
    QJsonObject record = payload.isObject() ? envelopeCounts(payload.toObject(), frameSize())
                                            : QJsonObject{{u"bytes"_s, frameSize()}};
    record.insert(u"accepted"_s, false);
    record.insert(u"reason"_s, reason);
    traceRecord(u"envelope"_s, std::move(record));
}

void RootMount::traceCommand(const QJsonArray &storeId, const QString &name,
                             const QJsonObject &payload, const QString &error,
                             const QJsonValue &reply, const QElapsedTimer *sent)
{
    QJsonObject record{{u"store_id"_s, storeId},
                       {u"name"_s, name},
                       {u"payload"_s, payload},
                       {u"outcome"_s, error.isEmpty() ? u"ok"_s : u"error"_s},
                       {u"sent"_s, sent != nullptr}};
    if (!error.isEmpty())
        record.insert(u"error"_s, error);
    if (!reply.isUndefined())
        record.insert(u"reply"_s, reply);
    if (sent && sent->isValid())
        record.insert(u"latency_us"_s, sent->nsecsElapsed() / 1000);
    traceRecord(u"command"_s, std::move(record));
}

void RootMount::teardown()
{
    if (m_phase == Phase::TornDown)
        return;
    if (!m_holders.isEmpty())
        return; // re-acquired during the grace period
    QPointer<RootMount> guard(this);
    setPhase(Phase::TornDown);
    if (!guard)
        return;
    ++m_generation;
    m_initialPatchTimer.cancel();
    if (!failQueued(MusubiCommandError::Kind::Unmounted)
        || !failCommands(MusubiCommandError::Kind::Unmounted))
        return;
    if (!m_cacheKey.isEmpty()) {
        if (MusubiCache *store = cache())
            CachePrivate::get(store)->released(m_cacheKey);
    }
    if (m_wire)
        m_wire->unmount();
    m_connection->forget(this);
    deleteLater();
}

} // namespace Musubi::detail
