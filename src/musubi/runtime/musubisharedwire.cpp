// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubisharedwire_p.h"

#include "musubiconnection_p.h"
#include "musubijson_p.h"
#include "musubilogging_p.h"
#include "musubirootmount_p.h"

#include <phoenixpush.h>
#include <phoenixsocket.h>

using namespace Qt::StringLiterals;

namespace Musubi::detail {

// --- SharedChannel: the connection's one channel ---------------------------------

SharedChannel::SharedChannel(ConnectionPrivate *connection)
    : QObject(connection)
    , m_connection(connection)
{ }

SharedChannel::~SharedChannel() = default;

bool SharedChannel::isJoined() const
{
    return m_channel && m_channel->state() == PhoenixChannel::State::Joined;
}

void SharedChannel::ensure()
{
    if (!m_connection->isOpen() || m_channel)
        return;
    if (m_connection->active == MusubiConnection::Protocol::PerRootChannel)
        return;
    // Reuse one channel registration per topic: the Phoenix layer rejoins it
    // (docs/protocol.md §2.9: a parallel channel on the same topic kills the roots).
    m_channel = m_connection->socket->channel(m_connection->baseTopic, QJsonObject());
    m_everJoined = false;
    connect(m_channel, &PhoenixChannel::joined, this, &SharedChannel::onJoined);
    connect(m_channel, &PhoenixChannel::joinFailed, this, &SharedChannel::onJoinFailed);
    connect(m_channel, &PhoenixChannel::joinTimedOut, this, &SharedChannel::onJoinTimedOut);
    connect(m_channel, &PhoenixChannel::errored, this, &SharedChannel::onDown);
    connect(m_channel, &PhoenixChannel::closed, this, &SharedChannel::onClosed);
    connect(m_channel, &PhoenixChannel::messageReceived, this, &SharedChannel::onMessage);
    m_channel->join(m_connection->joinTimeout);
}

void SharedChannel::drop()
{
    leaveChannel(m_channel, this);
}

void SharedChannel::onJoined()
{
    m_everJoined = true;
    if (m_connection->active == MusubiConnection::Protocol::Auto) {
        qCInfo(lcMusubiConnection).noquote() << "server accepted" << m_connection->baseTopic
                                             << "; using the shared-channel profile";
        m_connection->setActiveProtocol(MusubiConnection::Protocol::SharedChannel);
    }
    // Every (re)join is a fresh server channel: every root must be mounted again.
    const auto all = m_connection->mounts.values();
    for (RootMount *mount : all) {
        if (mount->canMount())
            static_cast<SharedRootWire *>(
                    m_connection->wireFor(mount, MusubiConnection::Protocol::SharedChannel))
                    ->channelJoined();
    }
}

void SharedChannel::onJoinFailed(const QJsonValue &response)
{
    // A join reply's response is an object; anything else says nothing.
    const QString reason =
            response.isObject() ? reasonOf(response) : QStringLiteral("no reason given");
    if (m_connection->active == MusubiConnection::Protocol::Auto && reason == "unauthorized"_L1) {
        if (!m_fallbackLogged) {
            m_fallbackLogged = true;
            qCInfo(lcMusubiConnection).noquote()
                    << "server refused the bare" << m_connection->baseTopic
                    << "topic (unauthorized); switching to per-root channels";
        }
        drop();
        m_connection->setActiveProtocol(MusubiConnection::Protocol::PerRootChannel);
        m_connection->startAll();
        return;
    }
    if (m_everJoined) {
        // A refused rejoin keeps the last good state; the channel keeps retrying.
        qCWarning(lcMusubiConnection).noquote() << "shared channel rejoin refused:" << reason;
        return;
    }
    failMounts(QStringLiteral("Connection join failed: %1").arg(reason), response);
}

void SharedChannel::onJoinTimedOut()
{
    if (m_everJoined) {
        qCWarning(lcMusubiConnection) << "shared channel rejoin timed out; retrying";
        return;
    }
    failMounts(QStringLiteral("Connection join timed out"), QJsonValue(QJsonValue::Undefined));
}

// Terminal for this attempt: leave so the channel does not knock forever; a later mount
// tries again.
void SharedChannel::failMounts(const QString &message, const QJsonValue &response)
{
    qCWarning(lcMusubiConnection).noquote() << message;
    drop();
    m_connection->reportError(message);
    const auto all = m_connection->mounts.values();
    for (RootMount *mount : all) {
        if (mount->status() != MusubiRoot::Status::Failed)
            mount->fail(message, response, RootMount::Refusal::Connection);
    }
}

void SharedChannel::onDown()
{
    const auto all = m_connection->mounts.values();
    for (RootMount *mount : all)
        mount->disconnected();
}

void SharedChannel::onClosed()
{
    // The server closed the shared channel for good (no rejoin from the Phoenix layer):
    // start a fresh registration so the roots come back.
    onDown();
    drop();
    if (m_connection->isOpen() && !m_connection->mounts.isEmpty())
        ensure();
}

void SharedChannel::onMessage(const QString &event, const QJsonValue &payload)
{
    if (event != "patch"_L1) {
        qCDebug(lcMusubiConnection).noquote() << "ignoring shared-channel event" << event;
        return;
    }
    const QJsonValue rootId = payload.toObject().value("root_id"_L1);
    if (!rootId.isString()) {
        qCWarning(lcMusubiConnection) << "dropping a patch without a string root_id";
        return;
    }
    const QString id = rootId.toString();
    // Exact wire id first; a mount still waiting for its reply also claims its candidates.
    const QList<SharedRootWire *> wires = m_wires;
    for (SharedRootWire *wire : wires) {
        if (wire->isNamed(id) && wire->acceptsRootId(id)) {
            wire->deliver(payload);
            return;
        }
    }
    for (SharedRootWire *wire : wires) {
        if (wire->acceptsRootId(id)) {
            wire->deliver(payload);
            return;
        }
    }
    qCDebug(lcMusubiConnection).noquote() << "dropping a patch for unknown root" << id;
}

// --- SharedRootWire: one root on the shared channel ------------------------------

SharedRootWire::SharedRootWire(ConnectionPrivate *connection, RootMount *mount)
    : RootWire(connection, mount)
    , m_channel(connection->shared)
{
    m_channel->addWire(this);
}

SharedRootWire::~SharedRootWire()
{
    // A torn-down mount may be deleted after its connection.
    if (m_channel)
        m_channel->removeWire(this);
}

void SharedRootWire::attach()
{
    if (channelJoinedNow()) {
        if (!m_mountSent)
            sendMount();
    } else if (m_channel) {
        m_channel->ensure();
    }
}

void SharedRootWire::remount()
{
    m_mountSent = false;
    m_awaitingReply = false;
    if (channelJoinedNow())
        sendUnmountThenMount(m_mount->wireRootId());
    // else: the next shared join mounts every root again.
}

void SharedRootWire::connectionLost()
{
    m_mountSent = false;
    m_awaitingReply = false;
}

void SharedRootWire::abandon()
{
    m_awaitingReply = false;
    m_mountSent = false;
    m_alreadyMountedRetries = 0;
}

void SharedRootWire::giveBack(const QString &named)
{
    sendUnmount(named.isEmpty() ? m_mount->wireRootId() : named);
}

void SharedRootWire::unmount()
{
    if (m_mountSent)
        sendUnmount(m_mount->wireRootId());
}

PhoenixChannel *SharedRootWire::channel() const
{
    return m_channel ? m_channel->channel() : nullptr;
}

bool SharedRootWire::channelJoinedNow() const
{
    return m_channel && m_channel->isJoined();
}

void SharedRootWire::retire()
{
    abandon();
    if (m_channel)
        m_channel->removeWire(this);
    m_channel = nullptr;
}

QJsonObject SharedRootWire::address(QJsonObject payload) const
{
    payload.insert(u"root_id"_s, m_mount->wireRootId());
    return payload;
}

bool SharedRootWire::isNamed(const QString &rootId) const
{
    return m_mount->wireRootId() == rootId;
}

void SharedRootWire::deliver(const QJsonValue &payload)
{
    m_mount->handlePatch(payload);
}

void SharedRootWire::channelJoined()
{
    // A fresh server channel hosts no roots: whatever we had is gone there.
    m_mountSent = false;
    m_awaitingReply = false;
    m_alreadyMountedRetries = 0;
    m_mount->serverRootStarting();
    sendMount();
}

bool SharedRootWire::acceptsRootId(const QString &rootId) const
{
    if (!m_mount->canMount() || !m_mountSent || rootId.isEmpty())
        return false;
    if (rootId == m_mount->wireRootId())
        return true;
    // The reply naming the root may still be queued behind its initial patch.
    return m_awaitingReply && (rootId == m_mount->key() || rootId == m_mount->id());
}

void SharedRootWire::sendMount()
{
    PhoenixChannel *channel = this->channel();
    if (m_mount->phase() == RootMount::Phase::TornDown || !channel
        || channel->state() != PhoenixChannel::State::Joined)
        return;
    m_mountSent = true;
    m_awaitingReply = true;
    const quint64 generation = m_mount->generation();
    const QJsonObject payload{{u"module"_s, m_mount->module()},
                              {u"id"_s, m_mount->id()},
                              {u"params"_s, m_mount->params()}};
    PhoenixPush *push = channel->push(u"mount"_s, payload, m_connection->joinTimeout);
    connect(push, &PhoenixPush::finished, this,
            [this, generation](PhoenixPush::Result result, const QJsonValue &response) {
                if (generation == m_mount->generation())
                    onMountReply(int(result), response);
            });
}

void SharedRootWire::sendUnmountThenMount(const QString &rootId)
{
    PhoenixChannel *channel = this->channel();
    if (!channel || channel->state() != PhoenixChannel::State::Joined)
        return;
    m_mountSent = true;
    m_awaitingReply = true;
    const quint64 generation = m_mount->generation();
    PhoenixPush *push = channel->push(u"unmount"_s, QJsonObject{{u"root_id"_s, rootId}},
                                      m_connection->joinTimeout);
    connect(push, &PhoenixPush::finished, this,
            [this, generation](PhoenixPush::Result result, const QJsonValue &response) {
                if (generation != m_mount->generation())
                    return;
                if (result != PhoenixPush::Result::Ok)
                    qCDebug(lcMusubiRoot).noquote()
                            << m_mount->key() << "unmount before remount answered"
                            << compactJson(response);
                sendMount();
            });
}

// Fire and forget: the reply only matters for the log.
void SharedRootWire::sendUnmount(const QString &rootId)
{
    if (rootId.isEmpty() || !channelJoinedNow())
        return;
    PhoenixPush *push = channel()->push(u"unmount"_s, QJsonObject{{u"root_id"_s, rootId}},
                                        m_connection->pushTimeout);
    const QString key = m_mount->key();
    QObject::connect(push, &PhoenixPush::finished, push,
                     [key](PhoenixPush::Result result, const QJsonValue &response) {
                         if (result != PhoenixPush::Result::Ok)
                             qCWarning(lcMusubiRoot).noquote() << key << "unmount answered"
                                                               << result << compactJson(response);
                     });
}

void SharedRootWire::onMountReply(int result, const QJsonValue &response)
{
    m_awaitingReply = false;
    switch (PhoenixPush::Result(result)) {
    case PhoenixPush::Result::Ok: {
        // B2/B3 name the root "<module>:<id>"; B1 uses the id verbatim (and may not say).
        const QJsonValue rootId = response.toObject().value("root_id"_L1);
        m_mount->setWireRootId(rootId.isString() ? rootId.toString() : m_mount->id());
        if (m_mount->version() == 0) // B1 may have sent the initial patch before the reply
            m_mount->awaitInitialPatch();
        return; // the mount is done when the initial patch is accepted
    }
    case PhoenixPush::Result::Error: {
        const QString reason = reasonOf(response);
        if (reason == "already_mounted"_L1 || reason == "root already mounted"_L1) {
            // B3 names the root it already hosts; B2 does not. Either way the
            // server keeps a mount we cannot get an initial patch from: it must
            // be ours, and an unmount + mount replaces it.
            const QJsonValue named = response.toObject().value("root_id"_L1);
            const QString rootId = named.isString() ? named.toString() : m_mount->wireRootId();
            if (rootId != m_mount->key() && rootId != m_mount->id()
                && rootId != m_mount->wireRootId()) {
                m_mount->fail(QStringLiteral("Root mount failed: server reports %1 already "
                                             "mounted, which this connection does not know")
                                      .arg(rootId),
                              response);
                return;
            }
            if (m_alreadyMountedRetries >= 1) {
                m_mount->fail(QStringLiteral("Root mount failed: %1").arg(reason), response);
                return;
            }
            ++m_alreadyMountedRetries;
            qCInfo(lcMusubiRoot).noquote() << m_mount->key() << "server still has" << rootId
                                           << "mounted; unmounting it first";
            m_mount->setWireRootId(rootId);
            sendUnmountThenMount(rootId);
            return;
        }
        m_mount->fail(QStringLiteral("Root mount failed: %1").arg(reason), response);
        return;
    }
    case PhoenixPush::Result::Timeout:
        m_mount->fail(u"Root mount timed out"_s);
        return;
    case PhoenixPush::Result::Failed:
        // Aborted by a drop: the next shared join mounts again.
        qCDebug(lcMusubiRoot).noquote() << m_mount->key() << "mount push aborted";
        m_mountSent = false;
        return;
    }
}

} // namespace Musubi::detail
