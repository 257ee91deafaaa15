// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <phoenixchannel.h>

namespace Musubi::detail {

/* \internal Leaves the channel in \a slot (if any) and forgets it; \a listener hears
    nothing more from it, its \c phx_close included: a channel we leave ourselves is
    never rejoined nor reported as closed by the server. */
inline void leaveChannel(QPointer<PhoenixChannel> &slot, QObject *listener)
{
    PhoenixChannel *channel = slot;
    slot = nullptr;
    if (!channel)
        return;
    QObject::disconnect(channel, nullptr, listener, nullptr);
    channel->leave();
}

class ConnectionPrivate;
class RootMount;

/*
    \internal
    The wire profile of one mount (docs/protocol.md §0): how a root is mounted,
    addressed, remounted and unmounted on the socket. One implementation per
    profile, each in its own file pair:

    \list
    \li PerRootWire (Profile R, musubiperrootwire_p.h): one channel per root;
        the join is the mount, the leave the unmount.
    \li SharedRootWire (Profile S, musubisharedwire_p.h): \c mount /
        \c unmount pushes on the connection's shared channel, whose joining,
        routing of patches by \c root_id and Auto detection live in the same
        file pair (SharedChannel).
    \endlist

    The mount (RootMount) keeps versions, recovery, commands and events and
    never asks which profile it runs on: it calls these functions, and the
    wire calls back into the mount (RootMount::serverRootStarted(),
    RootMount::handlePatch(), RootMount::disconnected(), RootMount::fail()).
    ConnectionPrivate::wireFor() makes the wire of the active profile.
*/
class RootWire : public QObject
{
    Q_OBJECT
public:
    RootWire(ConnectionPrivate *connection, RootMount *mount)
        : QObject(nullptr)
        , m_connection(connection)
        , m_mount(mount)
    { }

    // Mounts on the wire as soon as the transport allows (join / \c mount push); idempotent.
    virtual void attach() = 0;
    // Version-gap recovery: gives the diverged server root up and mounts afresh.
    virtual void remount() = 0;
    // The socket or the channel went down: whatever was in flight is void.
    virtual void connectionLost() = 0;
    // The connection closes on purpose: leave what this wire joined.
    virtual void closing() = 0;
    // This mount attempt failed: stop mounting, never rejoin on our own.
    virtual void abandon() = 0;
    /* The first initial patch was unusable although the server started the root:
        give it back (\a named is the envelope's \c root_id, if any). */
    virtual void giveBack(const QString &named) = 0;
    // The last holder let go: unmount on the wire.
    virtual void unmount() = 0;
    // An initial patch was accepted: the mount on the wire is complete.
    virtual void mounted() { }
    // The active profile changed and another wire replaces this one: let go of everything.
    virtual void retire() = 0;

    // The joined channel commands and upload events go through, or nullptr.
    virtual PhoenixChannel *channel() const = 0;
    // \a payload addressed to this root on channel() (Profile S adds \c root_id).
    virtual QJsonObject address(QJsonObject payload) const = 0;
    // Whether an envelope naming \a rootId belongs to this root.
    virtual bool acceptsEnvelope(const QJsonValue &rootId) const = 0;

protected:
    ConnectionPrivate *m_connection;
    RootMount *m_mount;
};

} // namespace Musubi::detail
