// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include "musubirootwire_p.h"

#include <QtCore/QList>
#include <QtCore/QPointer>
#include <phoenixchannel.h>

namespace Musubi::detail {

class SharedRootWire;

/*
    \internal
    Profile S (Musubi 0.4–0.11, docs/protocol.md §2), connection side: the one
    channel on \c baseTopic that every root of the connection shares, and the
    Auto choice. Every (re)join is a fresh server channel without roots, so
    every mount is mounted again (never a second channel on the topic,
    docs/protocol.md §2.9). Patches are routed to their mount by \c root_id.
    With Protocol::Auto, a join refused with \c unauthorized means a 0.12+
    server: the connection switches to per-root channels.
*/
class SharedChannel : public QObject
{
    Q_OBJECT
public:
    explicit SharedChannel(ConnectionPrivate *connection);
    ~SharedChannel() override;

    // Makes sure the channel exists and is joining (Profile S and Auto).
    void ensure();
    // Leaves the channel; what it says from now on is ignored.
    void drop();
    bool isJoined() const;
    PhoenixChannel *channel() const { return m_channel; }

    void addWire(SharedRootWire *wire) { m_wires.append(wire); }
    void removeWire(SharedRootWire *wire) { m_wires.removeAll(wire); }

private:
    void onJoined();
    void onJoinFailed(const QJsonValue &response);
    void onJoinTimedOut();
    void failMounts(const QString &message, const QJsonValue &response);
    void onDown();
    void onClosed();
    void onMessage(const QString &event, const QJsonValue &payload);

    ConnectionPrivate *m_connection;
    QPointer<PhoenixChannel> m_channel;
    QList<SharedRootWire *> m_wires;
    bool m_everJoined = false;
    bool m_fallbackLogged = false;
};

/*
    \internal
    Profile S, root side: \c mount / \c unmount pushes on the SharedChannel,
    \c root_id on every push, and the three server generations' ways of
    naming roots (B1 uses the id verbatim, B2/B3 answer \c{"<module>:<id>"},
    B3 answers a second mount with \c already_mounted, which an unmount +
    mount replaces once).
*/
class SharedRootWire : public RootWire
{
    Q_OBJECT
public:
    SharedRootWire(ConnectionPrivate *connection, RootMount *mount);
    ~SharedRootWire() override;

    void attach() override;
    void remount() override;
    void connectionLost() override;
    void closing() override { }
    void abandon() override;
    void giveBack(const QString &named) override;
    void unmount() override;
    void mounted() override { m_alreadyMountedRetries = 0; }
    void retire() override;

    PhoenixChannel *channel() const override;
    QJsonObject address(QJsonObject payload) const override;
    bool acceptsEnvelope(const QJsonValue &) const override { return true; }

    // The shared channel (re)joined: the server has no roots; mount again.
    void channelJoined();
    // Whether a \c patch naming \a rootId is this root's.
    bool acceptsRootId(const QString &rootId) const;
    // Whether \a rootId is exactly the name this root has on the wire.
    bool isNamed(const QString &rootId) const;
    // A \c patch routed to this root.
    void deliver(const QJsonValue &payload);

private:
    bool channelJoinedNow() const;
    void sendMount();
    void sendUnmountThenMount(const QString &rootId);
    void sendUnmount(const QString &rootId);
    void onMountReply(int result, const QJsonValue &response);

    QPointer<SharedChannel> m_channel;
    bool m_mountSent = false; // mounted (or mounting) on the current shared join
    bool m_awaitingReply = false; // a mount push is in flight
    int m_alreadyMountedRetries = 0;
};

} // namespace Musubi::detail
