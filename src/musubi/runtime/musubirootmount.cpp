// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiconnection_p.h"
#include "musubirootmount_p.h"
#include "musubistore.h"
#include "musubistoretree.h"

#include <phoenixchannel.h>
#include <phoenixpush.h>
#include <phoenixsocket.h>

#include <QtCore/QJsonDocument>

#include <limits>

using namespace Qt::StringLiterals;

namespace Musubi::detail {

namespace {

QString compactJson(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isString())
        return value.toString();
    return value.toVariant().toString();
}

QString reasonOf(const QJsonValue &response)
{
    const QJsonValue reason = response.toObject().value("reason"_L1);
    if (reason.isString())
        return reason.toString();
    return compactJson(response);
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
    connect(m_tree, &MusubiStoreTree::storesChanged, this, [this](const QList<QJsonArray> &ids) {
        if (m_applying)
            m_changedStores = ids;
    });
    connect(m_tree, &MusubiStoreTree::rootStoreChanged, this, &RootMount::rootStoreChanged);

    // A 0 ms grace: a release followed by a mount of the same root in the same
    // event-loop turn (a QML delegate being recreated) keeps the mount.
    m_teardownTimer.setSingleShot(true);
    m_teardownTimer.setInterval(0);
    connect(&m_teardownTimer, &QTimer::timeout, this, &RootMount::teardown);

    // A root channel the server closed for good is joined afresh, but not in a tight loop.
    m_reopenTimer.setSingleShot(true);
    m_reopenTimer.setInterval(1000);
    connect(&m_reopenTimer, &QTimer::timeout, this, [this] {
        if (!m_tornDown && m_connection->isOpen() && !m_channel
            && m_connection->active == MusubiConnection::Protocol::PerRootChannel)
            joinRootChannel();
    });

    m_initialPatchTimer.setSingleShot(true);
    connect(&m_initialPatchTimer, &QTimer::timeout, this, &RootMount::initialPatchTimedOut);
}

RootMount::~RootMount()
{
    failCommands(MusubiCommandError::Kind::Disconnected);
    if (m_channel)
        disconnect(m_channel, nullptr, this, nullptr);
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
    m_teardownTimer.stop();
    if (!m_holders.contains(holder))
        m_holders.append(holder);
}

bool RootMount::removeHolder(MusubiRoot *holder)
{
    m_holders.removeAll(holder);
    m_holders.removeAll(nullptr);
    if (!m_holders.isEmpty())
        return false;
    m_teardownTimer.start();
    return true;
}

bool RootMount::isPerRoot() const
{
    return m_connection->active == MusubiConnection::Protocol::PerRootChannel;
}

PhoenixChannel *RootMount::commandChannel() const
{
    PhoenixChannel *channel = isPerRoot() ? m_channel.data() : m_connection->sharedChannel();
    if (!channel || channel->state() != PhoenixChannel::State::Joined)
        return nullptr;
    return channel;
}

void RootMount::setStatus(MusubiRoot::Status status)
{
    if (m_status == status)
        return;
    const auto old = m_status;
    m_status = status;
    qCDebug(lcMusubiRoot).noquote() << m_key << "status" << old << "->" << status;
    Q_EMIT statusChanged(status, old);
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
    if (m_tornDown)
        return;
    if (m_status == MusubiRoot::Status::Failed) {
        m_alreadyMountedRetries = 0;
        m_recovering = false;
        m_errorReply = QJsonValue(QJsonValue::Undefined);
        if (!m_errorString.isEmpty()) {
            m_errorString.clear();
            Q_EMIT errorStringChanged();
        }
        setStatus(m_everLive ? MusubiRoot::Status::Reconnecting : MusubiRoot::Status::Connecting);
    }
    if (!m_connection->isOpen())
        return; // open() starts every mount
    switch (m_connection->active) {
    case MusubiConnection::Protocol::PerRootChannel:
        if (!m_channel)
            joinRootChannel();
        break;
    case MusubiConnection::Protocol::SharedChannel:
        if (m_connection->sharedJoined()) {
            if (!m_mountSent)
                sendMount();
        } else {
            m_connection->ensureSharedChannel();
        }
        break;
    case MusubiConnection::Protocol::Auto:
        m_connection->ensureSharedChannel(); // the join reply decides
        break;
    }
}

void RootMount::sharedJoined()
{
    if (m_tornDown || m_status == MusubiRoot::Status::Failed)
        return;
    // A fresh server channel hosts no roots: whatever we had is gone there.
    ++m_generation;
    failCommands(MusubiCommandError::Kind::Disconnected);
    m_mountSent = false;
    m_awaitingMountReply = false;
    m_alreadyMountedRetries = 0;
    setVersion(0);
    if (m_everLive)
        setStatus(MusubiRoot::Status::Reconnecting);
    sendMount();
}

void RootMount::disconnected()
{
    ++m_generation;
    failCommands(MusubiCommandError::Kind::Disconnected);
    m_mountSent = false;
    m_awaitingMountReply = false;
    m_recovering = false;
    if (m_tornDown)
        return;
    // Keep the last good state; only the version says "not live" (docs/protocol.md §12).
    setVersion(0);
    if (m_status == MusubiRoot::Status::Live)
        setStatus(MusubiRoot::Status::Reconnecting);
}

void RootMount::connectionClosing()
{
    disconnected();
    m_reopenTimer.stop();
    dropRootChannel();
}

void RootMount::fail(const QString &message, const QJsonValue &reply)
{
    m_errorReply = reply;
    ++m_generation;
    failCommands(MusubiCommandError::Kind::Disconnected);
    m_awaitingMountReply = false;
    m_mountSent = false;
    m_recovering = false;
    m_reopenTimer.stop();
    m_initialPatchTimer.stop();
    // A refused Profile R mount must be left, or the channel would rejoin it forever.
    dropRootChannel();
    setVersion(0);
    qCWarning(lcMusubiRoot).noquote() << m_key << ":" << message;
    if (m_errorString != message) {
        m_errorString = message;
        Q_EMIT errorStringChanged();
    }
    setStatus(MusubiRoot::Status::Failed);
    Q_EMIT errorOccurred(message);
}

void RootMount::failCommands(MusubiCommandError::Kind kind)
{
    if (m_pending.isEmpty())
        return;
    const auto pending = std::exchange(m_pending, {});
    for (const PendingCommand &command : pending) {
        disconnect(command.connection);
        qCDebug(lcMusubiCommand).noquote() << m_key << "command" << command.name
                                           << "failed:" << MusubiCommandError::kindName(kind);
        command.promise->setException(MusubiCommandError(kind, command.name, command.storeId));
        command.promise->finish();
    }
}

void RootMount::startRecovery(const QString &why)
{
    if (m_recovering || m_tornDown)
        return;
    qCWarning(lcMusubiRoot).noquote() << m_key << ":" << why << "; recovering";
    m_recovering = true;
    ++m_generation;
    failCommands(MusubiCommandError::Kind::VersionMismatch);
    // Soft reset: the last good tree stays visible, only the version drops.
    setVersion(0);
    setStatus(MusubiRoot::Status::Reconnecting);
    Q_EMIT errorOccurred(why);
    if (isPerRoot()) {
        // Leave the diverged channel (stops the server root), then join afresh.
        dropRootChannel();
        joinRootChannel();
    } else {
        m_mountSent = false;
        m_awaitingMountReply = false;
        if (m_connection->sharedJoined())
            sendUnmountThenMount(m_wireRootId);
        // else: the next shared join mounts every root again.
    }
}

// --- Profile R ---------------------------------------------------------------

void RootMount::joinRootChannel()
{
    if (m_channel)
        return;
    const QJsonObject payload{{u"module"_s, m_module}, {u"id"_s, m_id}, {u"params"_s, m_params}};
    m_channel = m_connection->socket->channel(m_connection->rootTopic(m_key), payload);
    m_channel->setJoinPayload(payload);
    const quint64 generation = m_generation;
    connect(m_channel, &PhoenixChannel::joined, this,
            [this, generation](const QJsonValue &response) { onRootJoined(response, generation); });
    connect(m_channel, &PhoenixChannel::joinFailed, this, &RootMount::onRootJoinFailed);
    connect(m_channel, &PhoenixChannel::joinTimedOut, this, &RootMount::onRootJoinTimedOut);
    connect(m_channel, &PhoenixChannel::errored, this, [this](const QString &reason) {
        qCDebug(lcMusubiRoot).noquote() << m_key << "channel errored:" << reason;
        disconnected();
    });
    connect(m_channel, &PhoenixChannel::closed, this, [this] {
        qCDebug(lcMusubiRoot).noquote() << m_key << "channel closed by the server";
        disconnected();
        if (m_channel)
            disconnect(m_channel, nullptr, this, nullptr);
        m_channel = nullptr;
        if (!m_tornDown)
            m_reopenTimer.start();
    });
    connect(m_channel, &PhoenixChannel::messageReceived, this,
            [this](const QString &event, const QJsonValue &payload) {
                if (event == "patch"_L1)
                    handlePatch(payload);
                else
                    qCDebug(lcMusubiRoot).noquote() << m_key << "ignoring event" << event;
            });
    m_channel->join(m_connection->joinTimeout);
}

void RootMount::dropRootChannel()
{
    if (!m_channel)
        return;
    PhoenixChannel *channel = m_channel;
    m_channel = nullptr;
    // Its phx_close (and anything else it says) is ours: suppress it.
    disconnect(channel, nullptr, this, nullptr);
    channel->leave();
}

void RootMount::onRootJoined(const QJsonValue &response, quint64)
{
    const QJsonValue rootId = response.toObject().value("root_id"_L1);
    if (rootId.isString() && rootId.toString() != m_key) {
        fail(QStringLiteral("Root join returned unexpected root_id: %1").arg(rootId.toString()),
             response);
        return;
    }
    // Every join-ok (first join and each rejoin) is the single recovery hook:
    // the server runs a fresh mount whose initial patch swaps the state in.
    if (m_version != 0) {
        failCommands(MusubiCommandError::Kind::Disconnected);
        setVersion(0);
    }
    if (m_everLive)
        setStatus(MusubiRoot::Status::Reconnecting);
    awaitInitialPatch();
}

void RootMount::onRootJoinFailed(const QJsonValue &response)
{
    const QString message = QStringLiteral("Root mount failed: %1").arg(reasonOf(response));
    if (m_everLive) {
        // Keep the last good rendering; the channel keeps retrying with backoff.
        qCWarning(lcMusubiRoot).noquote() << m_key << "rejoin refused:" << reasonOf(response);
        return;
    }
    fail(message, response);
}

void RootMount::onRootJoinTimedOut()
{
    if (m_everLive) {
        qCWarning(lcMusubiRoot).noquote() << m_key << "rejoin timed out; retrying";
        return;
    }
    fail(u"Root mount timed out"_s);
}

// --- Profile S ---------------------------------------------------------------

void RootMount::sendMount()
{
    PhoenixChannel *channel = m_connection->sharedChannel();
    if (m_tornDown || !channel || channel->state() != PhoenixChannel::State::Joined)
        return;
    m_mountSent = true;
    m_awaitingMountReply = true;
    const quint64 generation = m_generation;
    const QJsonObject payload{{u"module"_s, m_module}, {u"id"_s, m_id}, {u"params"_s, m_params}};
    PhoenixPush *push = channel->push(u"mount"_s, payload, m_connection->joinTimeout);
    connect(push, &PhoenixPush::finished, this,
            [this, generation](PhoenixPush::Result result, const QJsonValue &response) {
                if (generation == m_generation)
                    onMountReply(int(result), response);
            });
}

void RootMount::sendUnmountThenMount(const QString &rootId)
{
    PhoenixChannel *channel = m_connection->sharedChannel();
    if (!channel || channel->state() != PhoenixChannel::State::Joined)
        return;
    m_mountSent = true;
    m_awaitingMountReply = true;
    const quint64 generation = m_generation;
    PhoenixPush *push = channel->push(u"unmount"_s, QJsonObject{{u"root_id"_s, rootId}},
                                      m_connection->joinTimeout);
    connect(push, &PhoenixPush::finished, this,
            [this, generation](PhoenixPush::Result result, const QJsonValue &response) {
                if (generation != m_generation)
                    return;
                if (result != PhoenixPush::Result::Ok)
                    qCDebug(lcMusubiRoot).noquote()
                            << m_key << "unmount before remount answered" << compactJson(response);
                sendMount();
            });
}

// A server accepted the join or mount: its initial patch should follow at once (the
// reference client waits forever; a bounded wait keeps a root from hanging in Connecting).
void RootMount::awaitInitialPatch()
{
    m_initialPatchGeneration = m_generation;
    m_initialPatchTimer.start(qMax(1, m_connection->joinTimeout));
}

void RootMount::initialPatchTimedOut()
{
    // A drop, rejoin, recovery or failure since the timer was armed started a new attempt.
    if (m_tornDown || m_generation != m_initialPatchGeneration || m_version != 0
        || m_status == MusubiRoot::Status::Failed)
        return;
    const QString message = u"Root mount timed out: no initial patch"_s;
    if (m_everLive) {
        m_recovering = false; // the recovery itself stalled: start it over
        startRecovery(message);
        return;
    }
    failInitialPatch(message, QJsonObject());
}

// Fire and forget: the reply only matters for the log.
void RootMount::sendUnmount(const QString &rootId)
{
    if (rootId.isEmpty() || !m_connection->sharedJoined())
        return;
    PhoenixPush *push = m_connection->sharedChannel()->push(
            u"unmount"_s, QJsonObject{{u"root_id"_s, rootId}}, m_connection->pushTimeout);
    const QString key = m_key;
    QObject::connect(push, &PhoenixPush::finished, push,
                     [key](PhoenixPush::Result result, const QJsonValue &response) {
                         if (result != PhoenixPush::Result::Ok)
                             qCWarning(lcMusubiRoot).noquote() << key << "unmount answered"
                                                               << result << compactJson(response);
                     });
}

// The first initial patch of a mount is unusable. The server started the root all the
// same: Profile R leaves its channel in fail(); Profile S unmounts it here, so that the
// server does not keep a root nobody reads.
void RootMount::failInitialPatch(const QString &message, const QJsonObject &envelope)
{
    if (!isPerRoot()) {
        const QJsonValue named = envelope.value("root_id"_L1);
        sendUnmount(named.isString() ? named.toString() : m_wireRootId);
    }
    fail(message);
}

void RootMount::onMountReply(int result, const QJsonValue &response)
{
    m_awaitingMountReply = false;
    switch (PhoenixPush::Result(result)) {
    case PhoenixPush::Result::Ok: {
        // B2/B3 name the root "<module>:<id>"; B1 uses the id verbatim (and may not say).
        const QJsonValue rootId = response.toObject().value("root_id"_L1);
        setWireRootId(rootId.isString() ? rootId.toString() : m_id);
        if (m_version == 0) // B1 may have sent the initial patch before the reply
            awaitInitialPatch();
        return; // the mount is done when the initial patch is accepted
    }
    case PhoenixPush::Result::Error: {
        const QString reason = reasonOf(response);
        if (reason == "already_mounted"_L1 || reason == "root already mounted"_L1) {
            // B3 names the root it already hosts; B2 does not. Either way the
            // server keeps a mount we cannot get an initial patch from: it must
            // be ours, and an unmount + mount replaces it.
            const QJsonValue named = response.toObject().value("root_id"_L1);
            const QString rootId = named.isString() ? named.toString() : m_wireRootId;
            if (rootId != m_key && rootId != m_id && rootId != m_wireRootId) {
                fail(QStringLiteral("Root mount failed: server reports %1 already mounted, "
                                    "which this connection does not know")
                             .arg(rootId),
                     response);
                return;
            }
            if (m_alreadyMountedRetries >= 1) {
                fail(QStringLiteral("Root mount failed: %1").arg(reason), response);
                return;
            }
            ++m_alreadyMountedRetries;
            qCInfo(lcMusubiRoot).noquote()
                    << m_key << "server still has" << rootId << "mounted; unmounting it first";
            setWireRootId(rootId);
            sendUnmountThenMount(rootId);
            return;
        }
        fail(QStringLiteral("Root mount failed: %1").arg(reason), response);
        return;
    }
    case PhoenixPush::Result::Timeout:
        fail(u"Root mount timed out"_s);
        return;
    case PhoenixPush::Result::Failed:
        // Aborted by a drop: the next shared join mounts again.
        qCDebug(lcMusubiRoot).noquote() << m_key << "mount push aborted";
        m_mountSent = false;
        return;
    }
}

bool RootMount::acceptsSharedRootId(const QString &rootId) const
{
    if (m_tornDown || !m_mountSent || rootId.isEmpty())
        return false;
    if (rootId == m_wireRootId)
        return true;
    // The reply naming the root may still be queued behind its initial patch.
    return m_awaitingMountReply && (rootId == m_key || rootId == m_id);
}

// --- Envelopes ----------------------------------------------------------------

void RootMount::handlePatch(const QJsonValue &payload)
{
    if (m_tornDown || m_status == MusubiRoot::Status::Failed)
        return;
    QString why;
    if (!payload.isObject() || !isEnvelope(payload.toObject(), &why)) {
        if (why.isEmpty())
            why = u"not a JSON object"_s;
        qCWarning(lcMusubiRoot).noquote()
                << m_key << ": dropping a patch payload that is not an envelope:" << why;
        return;
    }
    const QJsonObject envelope = payload.toObject();
    const QJsonValue rootId = envelope.value("root_id"_L1);
    if (isPerRoot() && rootId.isString() && rootId.toString() != m_key) {
        qCWarning(lcMusubiRoot).noquote()
                << m_key << ": dropping an envelope addressed to" << rootId.toString();
        return;
    }
    const qint64 base = versionField(envelope, "base_version"_L1);
    const qint64 version = versionField(envelope, "version"_L1);
    if (m_version == 0) {
        if (base != 0 || version != 1) {
            if (m_recovering) {
                // Late envelopes of the diverged server root; the fresh mount starts at 0→1.
                qCDebug(lcMusubiRoot).noquote() << m_key << "ignoring envelope" << base << "->"
                                                << version << "while recovering";
                return;
            }
            const QString message = u"Initial patch envelope must start at version 1"_s;
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
        startRecovery(QStringLiteral("version gap: at %1, received %2 -> %3")
                              .arg(m_version)
                              .arg(base)
                              .arg(version));
        return;
    }
    acceptEnvelope(envelope, version, false);
}

void RootMount::acceptEnvelope(const QJsonObject &envelope, qint64 version, bool initial)
{
    QPointer<RootMount> guard(this);
    const qint64 previous = m_version;
    // Set first so that store changed() handlers already read the new version.
    m_version = version;
    m_changedStores.clear();
    m_applying = true;
    const std::optional<MusubiPatchError> error = m_tree->apply(envelope);
    if (!guard)
        return;
    m_applying = false;
    if (error) {
        m_version = previous;
        const QString message = u"Patch rejected: "_s + error->toString();
        if (initial && !m_everLive)
            failInitialPatch(message, envelope);
        else
            startRecovery(message);
        return;
    }
    Q_EMIT versionChanged(int(version));
    if (!guard)
        return;
    Q_EMIT storesChanged(std::exchange(m_changedStores, {}));
    if (!guard)
        return;
    dispatchEvents(envelope.value("events"_L1).toArray());
    if (!guard)
        return;
    if (initial && m_version == version) {
        m_initialPatchTimer.stop();
        m_everLive = true;
        m_recovering = false;
        m_alreadyMountedRetries = 0;
        setStatus(MusubiRoot::Status::Live);
    }
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
        Q_EMIT eventReceived(storeId, name.toString(), payload);
        if (!guard)
            return;
        if (MusubiStore *store = m_tree->store(storeId))
            store->deliverEvent(name.toString(), payload);
        if (!guard)
            return;
    }
}

// --- Commands -------------------------------------------------------------------

QFuture<QJsonValue> RootMount::failedCommand(const MusubiCommandError &error)
{
    QPromise<QJsonValue> promise;
    promise.start();
    promise.setException(error);
    promise.finish();
    return promise.future();
}

QFuture<QJsonValue> RootMount::dispatch(const QJsonArray &storeId, const QString &name,
                                        const QJsonObject &payload)
{
    PhoenixChannel *channel = commandChannel();
    if (m_tornDown || m_version == 0 || !channel) {
        qCDebug(lcMusubiCommand).noquote()
                << m_key << "command" << name << "rejected: not connected";
        return failedCommand(
                MusubiCommandError(MusubiCommandError::Kind::NotConnected, name, storeId));
    }
    QJsonObject body{{u"store_id"_s, storeId}, {u"name"_s, name}, {u"payload"_s, payload}};
    if (!isPerRoot())
        body.insert(u"root_id"_s, m_wireRootId);
    PhoenixPush *push = channel->push(u"command"_s, body, m_connection->pushTimeout);

    PendingCommand command;
    command.promise = std::make_shared<QPromise<QJsonValue>>();
    command.promise->start();
    command.push = push;
    command.name = name;
    command.storeId = storeId;
    const quint64 key = ++m_nextCommand;
    command.connection = connect(
            push, &PhoenixPush::finished, this,
            [this, key](PhoenixPush::Result result, const QJsonValue &response) {
                const auto it = m_pending.find(key);
                if (it == m_pending.end())
                    return;
                const PendingCommand command = it.value();
                m_pending.erase(it);
                // Never retried: a failed or timed-out command may still have run.
                switch (result) {
                case PhoenixPush::Result::Ok:
                    command.promise->addResult(response);
                    break;
                case PhoenixPush::Result::Error:
                    command.promise->setException(
                            MusubiCommandError(MusubiCommandError::Kind::Failed, command.name,
                                               command.storeId, response));
                    break;
                case PhoenixPush::Result::Timeout:
                    command.promise->setException(MusubiCommandError(
                            MusubiCommandError::Kind::Timeout, command.name, command.storeId));
                    break;
                case PhoenixPush::Result::Failed:
                    command.promise->setException(MusubiCommandError(
                            MusubiCommandError::Kind::Disconnected, command.name, command.storeId));
                    break;
                }
                qCDebug(lcMusubiCommand).noquote()
                        << m_key << "command" << command.name << "finished" << result;
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
    PhoenixChannel *channel = commandChannel();
    if (m_tornDown || !channel)
        return nullptr;
    QJsonObject body = payload;
    if (!isPerRoot())
        body.insert(u"root_id"_s, m_wireRootId);
    return channel->push(event, body, timeoutMs < 0 ? m_connection->pushTimeout : timeoutMs);
}

// --- Teardown ---------------------------------------------------------------------

void RootMount::teardown()
{
    if (m_tornDown)
        return;
    if (!m_holders.isEmpty())
        return; // re-acquired during the grace period
    m_tornDown = true;
    ++m_generation;
    m_reopenTimer.stop();
    m_initialPatchTimer.stop();
    failCommands(MusubiCommandError::Kind::Unmounted);
    if (m_channel) {
        dropRootChannel();
    } else if (m_mountSent) {
        sendUnmount(m_wireRootId);
    }
    m_connection->forget(this);
    deleteLater();
}

} // namespace Musubi::detail
