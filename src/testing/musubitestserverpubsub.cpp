// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// The PubSub of MusubiTestServer: how stores of different mounts talk to each
// other, the way the processes of a Phoenix app do through Phoenix.PubSub
// (subscribe, broadcast, broadcast_from, handle_info).
//
// Subscriptions live on the stores (so a store may subscribe before it is
// mounted and its subscriptions die with it); a broadcast fixes its
// recipients at once and queues the message; one queue for the whole server
// keeps broadcast order, so per-topic order, for every recipient.
#include "musubitestserver_p.h"
#include "musubiteststore.h"
#include "musubiteststore_p.h"

#include <utility>

using namespace Qt::StringLiterals;

using Musubi::detail::TestConnection;
using Musubi::detail::TestRootSession;

namespace {

//! \internal The live session \a store is mounted through on \a server, or nullptr.
TestRootSession *liveSession(const MusubiTestServerPrivate *server, MusubiTestStore *store)
{
    TestRootSession *session = MusubiTestStorePrivate::get(store->rootStore())->session;
    if (!session || session->dead || session->serverPrivate != server)
        return nullptr;
    return session;
}

//! \internal Appends \a store and its descendants subscribed to \a topic, depth first.
void collect(MusubiTestStore *store, const QString &topic, QList<MusubiTestStore *> &out)
{
    if (MusubiTestStorePrivate::get(store)->subscriptions.contains(topic))
        out.append(store);
    const auto children = store->childStores();
    for (MusubiTestStore *child : children)
        collect(child, topic, out);
}

} // namespace

namespace Musubi::detail {

//! \internal Ends every subscription of \a store's tree (its mount ended).
void clearSubscriptions(MusubiTestStore *store)
{
    if (!store)
        return;
    auto *d = MusubiTestStorePrivate::get(store);
    d->subscriptions.clear();
    const auto children = store->childStores();
    for (MusubiTestStore *child : children)
        clearSubscriptions(child);
}

} // namespace Musubi::detail

// ---------------------------------------------------------------------------
// MusubiTestServerPrivate

QList<MusubiTestStore *> MusubiTestServerPrivate::subscribers(const QString &topic) const
{
    QList<MusubiTestStore *> out;
    for (const auto &session : sessions) {
        if (session && !session->dead && session->root)
            collect(session->root, topic, out);
    }
    return out;
}

int MusubiTestServerPrivate::broadcast(MusubiTestStore *from, const QString &topic,
                                       const QJsonValue &message)
{
    if (topic.isEmpty()) {
        qCWarning(lcTestServer) << "broadcast: refused (empty topic)";
        return 0;
    }
    PubSubMessage queued{topic, message.isUndefined() ? QJsonValue() : message, {}};
    const auto recipients = subscribers(topic);
    for (MusubiTestStore *store : recipients) {
        if (store != from)
            queued.recipients.append(store);
    }
    const int count = int(queued.recipients.size());
    qCDebug(lcTestServer) << "broadcast on" << topic << "to" << count << "store(s)";
    if (count == 0)
        return 0;
    pubSubQueue.append(std::move(queued));
    if (!pubSubScheduled) {
        pubSubScheduled = true;
        QTimer::singleShot(0, q, [this] { deliverPubSub(); });
    }
    return count;
}

void MusubiTestServerPrivate::deliverPubSub()
{
    pubSubScheduled = false;
    // Broadcasts made by the handlers below queue behind this batch (and
    // schedule the next turn), so the order stays the broadcast order.
    const QList<PubSubMessage> batch = std::exchange(pubSubQueue, {});
    for (const PubSubMessage &message : batch) {
        for (const QPointer<MusubiTestStore> &store : message.recipients) {
            if (!store
                || !MusubiTestStorePrivate::get(store)->subscriptions.contains(message.topic))
                continue;
            TestRootSession *session = liveSession(this, store);
            if (!session)
                continue;
            const QPointer<TestRootSession> sessionGuard(session);
            const QPointer<TestConnection> connection = session->connection;
            const QString channelTopic = session->topic;
            const QString rootId = session->mount.rootId;
            QString crash;
            try {
                Q_EMIT store->infoReceived(message.topic, message.message);
                if (store)
                    store->handleInfo(message.topic, message.message);
            } catch (const std::exception &e) {
                crash = QString::fromUtf8(e.what());
                if (crash.isEmpty())
                    crash = u"handler threw"_s;
            } catch (...) {
                crash = u"handler threw"_s;
            }
            if (crash.isEmpty())
                continue;
            qCWarning(lcTestServer)
                    << "handleInfo of" << rootId << "on" << message.topic << "threw:" << crash;
            if (sessionGuard && !sessionGuard->dead && connection && !connection->closed) {
                crashChannel(connection, channelTopic,
                             u"info on "_s + message.topic + u" crashed: "_s + crash);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// MusubiTestServer

/*!
    \target MusubiTestServer-broadcast

    Broadcasts \a message on \a topic to every store of every mount subscribed to it (Elixir
    \c{Phoenix.PubSub.broadcast/3}) and returns how many stores it was queued for.

    The recipients are the subscribers at the time of the call, oldest mount first. Delivery is
    queued: each recipient's \l {MusubiTestStore-handleInfo}{MusubiTestStore::handleInfo()} runs
    on a later event-loop turn, unless its mount ended or it unsubscribed meanwhile. Messages
    are delivered in broadcast order (so in order per topic), including those broadcast from
    inside \l {MusubiTestStore-handleInfo}{MusubiTestStore::handleInfo()}.

    \sa broadcastFrom(), {MusubiTestStore-subscribe}{MusubiTestStore::subscribe()},
    {MusubiTestStore-handleInfo}{MusubiTestStore::handleInfo()}
*/
int MusubiTestServer::broadcast(const QString &topic, const QJsonValue &message)
{
    return d->broadcast(nullptr, topic, message);
}

/*!
    Like broadcast() of \a message on \a topic, but skips \a from (Elixir
    \c{Phoenix.PubSub.broadcast_from/4}); only that store is skipped, not
    the rest of its mount.
    \sa broadcast()
*/
int MusubiTestServer::broadcastFrom(MusubiTestStore *from, const QString &topic,
                                    const QJsonValue &message)
{
    return d->broadcast(from, topic, message);
}

/*!
    The stores currently subscribed to \a topic, oldest mount first.
    \sa subscriberCount(), {MusubiTestStore-subscribe}{MusubiTestStore::subscribe()}
*/
QList<MusubiTestStore *> MusubiTestServer::subscribers(const QString &topic) const
{
    return d->subscribers(topic);
}

/*!
    How many stores are currently subscribed to \a topic.
    \sa subscribers()
*/
int MusubiTestServer::subscriberCount(const QString &topic) const
{
    return int(d->subscribers(topic).size());
}

// ---------------------------------------------------------------------------
// MusubiTestStore

/*!
    \target MusubiTestStore-subscribe

    Subscribes this store to \a topic (Elixir \c{Phoenix.PubSub.subscribe/2}): from now on every
    message broadcast on \a topic, by any store of any mount of this server or by
    \l {MusubiTestServer-broadcast}{MusubiTestServer::broadcast()}, arrives in handleInfo().
    Subscribing twice is the same as once.

    A subscription belongs to the mount: it takes effect once the store's root is mounted
    (subscribing in the constructor or in mount() is fine) and ends with it (unmount, channel
    end, disconnect, server close or destruction). Child stores may subscribe too; a removed
    child's subscriptions go with it.

    \sa unsubscribe(), broadcast(), handleInfo(),
    {MusubiTestServer-broadcast}{MusubiTestServer::broadcast()}
*/
void MusubiTestStore::subscribe(const QString &topic)
{
    if (topic.isEmpty()) {
        qCWarning(lcTestServer) << "subscribe: refused (empty topic)";
        return;
    }
    if (!d->subscriptions.contains(topic))
        d->subscriptions.append(topic);
}

/*!
    Ends the subscription to \a topic. Messages already queued for this
    store on \a topic are dropped.
    \sa subscribe()
*/
void MusubiTestStore::unsubscribe(const QString &topic)
{
    d->subscriptions.removeAll(topic);
}

/*!
    Returns true while this store is subscribed to \a topic.
    \sa subscriptions()
*/
bool MusubiTestStore::isSubscribed(const QString &topic) const
{
    return d->subscriptions.contains(topic);
}

/*!
    The topics this store is subscribed to, in subscription order.
    \sa subscribe()
*/
QStringList MusubiTestStore::subscriptions() const
{
    return d->subscriptions;
}

/*!
    Broadcasts \a message on \a topic to every subscribed store, this one
    included if it is subscribed (Elixir \c{Phoenix.PubSub.broadcast/3}).
    Returns how many stores it was queued for; 0 (with a warning) when
    this store is not mounted.
    \sa broadcastFrom(), {MusubiTestServer-broadcast}{MusubiTestServer::broadcast()}
*/
int MusubiTestStore::broadcast(const QString &topic, const QJsonValue &message)
{
    MusubiTestServer *target = server();
    if (!target) {
        qCWarning(lcTestServer) << "broadcast on" << topic << "from a store that is not mounted";
        return 0;
    }
    return target->d->broadcast(nullptr, topic, message);
}

/*!
    Like broadcast() of \a message on \a topic, but never delivers to this store (Elixir
    \c{Phoenix.PubSub.broadcast_from/4}): the usual call of a store that
    already applied the change itself.
    \sa broadcast()
*/
int MusubiTestStore::broadcastFrom(const QString &topic, const QJsonValue &message)
{
    MusubiTestServer *target = server();
    if (!target) {
        qCWarning(lcTestServer) << "broadcastFrom on" << topic
                                << "from a store that is not mounted";
        return 0;
    }
    return target->d->broadcast(this, topic, message);
}

/*!
    Registers (or, with an empty \a handler, removes) the function the
    default handleInfo() calls for messages on \a topic.
    \sa handleInfo()
*/
void MusubiTestStore::onInfo(const QString &topic, InfoHandler handler)
{
    if (handler)
        d->infoHandlers.insert(topic, std::move(handler));
    else
        d->infoHandlers.remove(topic);
}

/*!
    \target MusubiTestStore-handleInfo

    Receives one \a message broadcast on \a topic (Elixir
    \c{handle_info/2}); infoReceived() is emitted just before. Default:
    the handler registered with onInfo() for \a topic, else nothing.
    Override to route yourself.

    Runs on a later event-loop turn than the broadcast, never for a store
    whose mount ended or that unsubscribed meanwhile; messages on one
    topic arrive in the order they were broadcast. State changes made
    here render and reach the client like any other. A handler that
    throws crashes the root's channel with \c phx_error.

    \sa subscribe(), onInfo()
*/
void MusubiTestStore::handleInfo(const QString &topic, const QJsonValue &message)
{
    const auto it = d->infoHandlers.constFind(topic);
    if (it == d->infoHandlers.constEnd()) {
        qCDebug(lcTestServer) << "no info handler for" << topic << "in" << rootId();
        return;
    }
    // A copy: the handler may replace itself.
    const InfoHandler handler = it.value();
    handler(message);
}
