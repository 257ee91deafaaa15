// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiperrootwire_p.h"

#include "musubiconnection_p.h"
#include "musubijson_p.h"
#include "musubilogging_p.h"
#include "musubirootmount_p.h"

#include <phoenixsocket.h>

using namespace Qt::StringLiterals;

namespace Musubi::detail {

PerRootWire::~PerRootWire()
{
    if (m_channel)
        disconnect(m_channel, nullptr, this, nullptr);
}

void PerRootWire::attach()
{
    if (!m_channel)
        join();
}

void PerRootWire::remount()
{
    // Leave the diverged channel (stops the server root), then join afresh.
    leave();
    join();
}

void PerRootWire::closing()
{
    m_reopen.cancel();
    leave();
}

void PerRootWire::abandon()
{
    // A refused mount must be left, or the channel would rejoin it forever.
    m_reopen.cancel();
    leave();
}

PhoenixChannel *PerRootWire::channel() const
{
    return m_channel;
}

bool PerRootWire::acceptsEnvelope(const QJsonValue &rootId) const
{
    return !rootId.isString() || rootId.toString() == m_mount->key();
}

void PerRootWire::join()
{
    if (m_channel)
        return;
    const QJsonObject payload{{u"module"_s, m_mount->module()},
                              {u"id"_s, m_mount->id()},
                              {u"params"_s, m_mount->params()}};
    m_channel = m_connection->socket->channel(m_connection->rootTopic(m_mount->key()), payload);
    m_channel->setJoinPayload(payload);
    connect(m_channel, &PhoenixChannel::joined, this, &PerRootWire::onJoined);
    connect(m_channel, &PhoenixChannel::joinFailed, this, &PerRootWire::onJoinFailed);
    connect(m_channel, &PhoenixChannel::joinTimedOut, this, &PerRootWire::onJoinTimedOut);
    connect(m_channel, &PhoenixChannel::errored, this, [this](const QString &reason) {
        qCDebug(lcMusubiRoot).noquote() << m_mount->key() << "channel errored:" << reason;
        m_mount->disconnected();
    });
    connect(m_channel, &PhoenixChannel::closed, this, &PerRootWire::onClosedByServer);
    connect(m_channel, &PhoenixChannel::messageReceived, this,
            [this](const QString &event, const QJsonValue &payload) {
                if (event == "patch"_L1)
                    m_mount->handlePatch(payload);
                else
                    qCDebug(lcMusubiRoot).noquote() << m_mount->key() << "ignoring event" << event;
            });
    m_channel->join(m_connection->joinTimeout);
}

void PerRootWire::leave()
{
    leaveChannel(m_channel, this);
}

void PerRootWire::onJoined(const QJsonValue &response)
{
    const QJsonValue rootId = response.toObject().value("root_id"_L1);
    if (rootId.isString() && rootId.toString() != m_mount->key()) {
        m_mount->fail(
                QStringLiteral("Root join returned unexpected root_id: %1").arg(rootId.toString()),
                response);
        return;
    }
    // Every join-ok (first join and each rejoin) is the single recovery hook:
    // the server runs a fresh mount whose initial patch swaps the state in.
    m_mount->serverRootStarting();
    m_mount->awaitInitialPatch();
}

void PerRootWire::onJoinFailed(const QJsonValue &response)
{
    if (m_mount->everLive()) {
        // Keep the last good rendering; the channel keeps retrying with backoff.
        qCWarning(lcMusubiRoot).noquote()
                << m_mount->key() << "rejoin refused:" << reasonOf(response);
        return;
    }
    // abandon() leaves the refused topic at once: one phx_leave, no rejoin.
    m_mount->fail(QStringLiteral("Root mount failed: %1").arg(reasonOf(response)), response);
}

void PerRootWire::onJoinTimedOut()
{
    if (m_mount->everLive()) {
        qCWarning(lcMusubiRoot).noquote() << m_mount->key() << "rejoin timed out; retrying";
        return;
    }
    m_mount->fail(u"Root mount timed out"_s);
}

void PerRootWire::onClosedByServer()
{
    qCDebug(lcMusubiRoot).noquote() << m_mount->key() << "channel closed by the server";
    m_mount->disconnected();
    if (m_channel)
        disconnect(m_channel, nullptr, this, nullptr);
    m_channel = nullptr;
    if (m_mount->phase() == RootMount::Phase::TornDown)
        return;
    // A root channel the server closed for good is joined afresh, but not in a tight loop.
    m_reopen.start(m_connection->socket->scheduler(), 1000, this, [this] {
        if (m_mount->phase() != RootMount::Phase::TornDown && m_connection->isOpen() && !m_channel
            && m_connection->active == MusubiConnection::Protocol::PerRootChannel)
            join();
    });
}

} // namespace Musubi::detail
