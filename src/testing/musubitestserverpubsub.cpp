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

int MusubiTestServer::broadcast(const QString &topic, const QJsonValue &message)
{
    return d->broadcast(nullptr, topic, message);
}

int MusubiTestServer::broadcastFrom(MusubiTestStore *from, const QString &topic,
                                    const QJsonValue &message)
{
    return d->broadcast(from, topic, message);
}

QList<MusubiTestStore *> MusubiTestServer::subscribers(const QString &topic) const
{
    return d->subscribers(topic);
}

int MusubiTestServer::subscriberCount(const QString &topic) const
{
    return int(d->subscribers(topic).size());
}

// ---------------------------------------------------------------------------
// MusubiTestStore

void MusubiTestStore::subscribe(const QString &topic)
{
    if (topic.isEmpty()) {
        qCWarning(lcTestServer) << "subscribe: refused (empty topic)";
        return;
    }
    if (!d->subscriptions.contains(topic))
        d->subscriptions.append(topic);
}

void MusubiTestStore::unsubscribe(const QString &topic)
{
    d->subscriptions.removeAll(topic);
}

bool MusubiTestStore::isSubscribed(const QString &topic) const
{
    return d->subscriptions.contains(topic);
}

QStringList MusubiTestStore::subscriptions() const
{
    return d->subscriptions;
}

int MusubiTestStore::broadcast(const QString &topic, const QJsonValue &message)
{
    MusubiTestServer *target = server();
    if (!target) {
        qCWarning(lcTestServer) << "broadcast on" << topic << "from a store that is not mounted";
        return 0;
    }
    return target->d->broadcast(nullptr, topic, message);
}

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

void MusubiTestStore::onInfo(const QString &topic, InfoHandler handler)
{
    if (handler)
        d->infoHandlers.insert(topic, std::move(handler));
    else
        d->infoHandlers.remove(topic);
}

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
