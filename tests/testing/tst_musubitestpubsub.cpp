// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// The PubSub of MusubiTestServer (Phoenix.PubSub for the mounts of one
// server): stores of different mounts, on different sockets, over both
// transport profiles, talk through subscribe / broadcast / handleInfo.
#include "rawphoenixclient.h"

#include <musubitestserver.h>

#include <QtCore/QJsonDocument>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <stdexcept>

using namespace Qt::StringLiterals;

namespace {

const QString kModule = u"Test.Room"_s;
const QString kShared = u"musubi:connection"_s;

/*!
    \c Test.Room: subscribes to the mount param \c topics (default
    \c{["room"]}) and keeps what arrives, as \c{"<topic> <message>"} strings,
    in the rendered field \c received (and in the test's log, as
    \c{"<id> <topic> <message>"}). Commands: \c say \c{{"topic","text","from"}}
    broadcasts (\c from: broadcast_from, excluding this store) and replies
    \c{{"recipients": n}}; \c subscribe / \c unsubscribe \c{{"topic"}}. The
    message \c "crash" makes handleInfo() throw; \c{"echo:<text>"} makes it
    broadcast \c <text> on the same topic.
*/
class RoomStore : public MusubiTestStore
{
public:
    explicit RoomStore(QStringList *log)
        : m_log(log)
    {
        setState({{u"received"_s, QJsonArray()}});
        onCommand(u"say"_s, [this](const QJsonObject &p) {
            const QString topic = p.value(u"topic"_s).toString(u"room"_s);
            const QJsonValue text = p.value(u"text"_s);
            const int n = p.value(u"from"_s).toBool() ? broadcastFrom(topic, text)
                                                      : broadcast(topic, text);
            return MusubiTestReply::ok({{u"recipients"_s, n}});
        });
        onCommand(u"subscribe"_s, [this](const QJsonObject &p) {
            subscribe(p.value(u"topic"_s).toString());
            return MusubiTestReply::noReply();
        });
        onCommand(u"unsubscribe"_s, [this](const QJsonObject &p) {
            unsubscribe(p.value(u"topic"_s).toString());
            return MusubiTestReply::noReply();
        });
    }

    void mount(const QJsonObject &params) override
    {
        const QJsonArray topics = params.value(u"topics"_s).toArray({u"room"_s});
        for (const QJsonValue &topic : topics)
            subscribe(topic.toString());
    }

    void handleInfo(const QString &topic, const QJsonValue &message) override
    {
        const QString text = message.toString();
        if (text == u"crash"_s)
            throw std::runtime_error("boom");
        m_log->append(rootId().section(u':', 1) + u' ' + topic + u' ' + text);
        update([&](QJsonObject &state) {
            QJsonArray received = state.value(u"received"_s).toArray();
            received.append(topic + u' ' + text);
            state.insert(u"received"_s, received);
        });
        if (text.startsWith(u"echo:"_s))
            broadcast(topic, text.mid(5));
    }

private:
    QStringList *m_log;
};

QJsonArray receivedOf(const MusubiTestStore *store)
{
    return store ? store->value(u"received"_s).toArray() : QJsonArray({u"<no store>"_s});
}

//! True if the patch \a m carries \a text anywhere in its ops.
bool patchMentions(const PhoenixMessage &m, const QString &text)
{
    if (m.event != u"patch"_s)
        return false;
    const QJsonArray ops = m.payload.toObject().value(u"ops"_s).toArray();
    return QString::fromUtf8(QJsonDocument(ops).toJson(QJsonDocument::Compact)).contains(text);
}

//! One raw client with one Test.Room root mounted, over either profile.
struct RoomClient
{
    RawPhoenixClient raw;
    bool shared = false;
    QString id;
    QString topic;
    QString join;

    QString rootId() const { return kModule + u':' + id; }

    //! Connects and mounts Test.Room:\a roomId; true once the initial patch arrived.
    bool mount(const QUrl &url, bool sharedProfile, const QString &roomId,
               const QJsonObject &params = {})
    {
        shared = sharedProfile;
        id = roomId;
        if (!raw.open(RawPhoenixClient::endpoint(url)))
            return false;
        const QJsonObject mount{{u"module"_s, kModule}, {u"id"_s, id}, {u"params"_s, params}};
        if (shared) {
            topic = kShared;
            join = raw.join(topic);
            if (!raw.replyTo(join))
                return false;
            const auto reply = raw.replyTo(raw.send(join, topic, u"mount"_s, mount));
            if (!reply || RawPhoenixClient::status(*reply) != u"ok"_s)
                return false;
        } else {
            topic = u"musubi:connection:"_s + rootId();
            join = raw.join(topic, mount);
            const auto reply = raw.replyTo(join);
            if (!reply || RawPhoenixClient::status(*reply) != u"ok"_s)
                return false;
        }
        return raw.next([](const PhoenixMessage &m) { return m.event == u"patch"_s; }).has_value();
    }

    //! Runs command \a name; returns its reply's response (empty on error or timeout).
    QJsonObject command(const QString &name, const QJsonObject &payload = {})
    {
        QJsonObject push{{u"store_id"_s, QJsonArray()}, {u"name"_s, name}, {u"payload"_s, payload}};
        if (shared)
            push.insert(u"root_id"_s, rootId());
        const auto reply = raw.replyTo(raw.send(join, topic, u"command"_s, push));
        return reply && RawPhoenixClient::status(*reply) == u"ok"_s
                ? RawPhoenixClient::response(*reply)
                : QJsonObject{{u"failed"_s, true}};
    }

    //! Waits for a patch mentioning \a text.
    bool sees(const QString &text)
    {
        return raw.next([&](const PhoenixMessage &m) { return patchMentions(m, text); })
                .has_value();
    }

    //! Unmounts the root (leave / unmount); true once the server acknowledged.
    bool unmount()
    {
        const QString ref = shared
                ? raw.send(join, topic, u"unmount"_s, QJsonObject{{u"root_id"_s, rootId()}})
                : raw.send(join, topic, u"phx_leave"_s);
        const auto reply = raw.replyTo(ref);
        return reply && RawPhoenixClient::status(*reply) == u"ok"_s;
    }
};

} // namespace

class tst_MusubiTestPubSub : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void deliversToEveryMount_data();
    void deliversToEveryMount();
    void otherTopicsSeeNothing_data();
    void otherTopicsSeeNothing();
    void broadcastFromSkipsTheSender_data();
    void broadcastFromSkipsTheSender();
    void subscribeAndUnsubscribe();
    void nothingAfterUnmount_data();
    void nothingAfterUnmount();
    void nothingAfterDisconnect();
    void nothingAfterServerClose();
    void queuedForADeadStoreIsDropped_data();
    void queuedForADeadStoreIsDropped();
    void unsubscribeDropsQueued();
    void orderIsKept();
    void broadcastsFromHandlersQueueBehind();
    void childStoresAndEarlySubscriptions();
    void throwingHandlerCrashesChannel();
    void refusals();

private:
    void addProfiles();
    MusubiTestStore *root(const QString &id) const
    {
        return server->mountedRoot(kModule + u':' + id);
    }

    //! Runs the event loop past every delivery queued so far (queued the same way, so FIFO).
    bool pastQueuedDeliveries()
    {
        bool done = false;
        QTimer::singleShot(0, server, [&done] { done = true; });
        return QTest::qWaitFor([&done] { return done; }, 5000);
    }

    MusubiTestServer *server = nullptr;
    QStringList log;
};

void tst_MusubiTestPubSub::init()
{
    log.clear();
    server = new MusubiTestServer;
    server->registerRoot(
            kModule, [this](const MusubiTestMount &, QString *) { return new RoomStore(&log); });
    QVERIFY(server->listen());
}

void tst_MusubiTestPubSub::cleanup()
{
    delete server;
    server = nullptr;
}

void tst_MusubiTestPubSub::addProfiles()
{
    QTest::addColumn<bool>("shared");
    QTest::newRow("per-root") << false;
    QTest::newRow("shared") << true;
}

void tst_MusubiTestPubSub::deliversToEveryMount_data()
{
    addProfiles();
}

void tst_MusubiTestPubSub::deliversToEveryMount()
{
    QFETCH(bool, shared);
    RoomClient a, b;
    QVERIFY(a.mount(server->url(), shared, u"a"_s));
    QVERIFY(b.mount(server->url(), shared, u"b"_s));
    QCOMPARE(server->subscriberCount(u"room"_s), 2);
    QCOMPARE(server->subscribers(u"room"_s),
             QList<MusubiTestStore *>({root(u"a"_s), root(u"b"_s)}));

    // From a client's command: both mounts (the sender too) get it, and both clients see it.
    QSignalSpy infoB(root(u"b"_s), &MusubiTestStore::infoReceived);
    QCOMPARE(a.command(u"say"_s, {{u"text"_s, u"hello"_s}}), QJsonObject({{u"recipients"_s, 2}}));
    QVERIFY(a.sees(u"room hello"_s));
    QVERIFY(b.sees(u"room hello"_s));
    QCOMPARE(log, QStringList({u"a room hello"_s, u"b room hello"_s}));
    QCOMPARE(infoB.size(), 1);
    QCOMPARE(infoB.constFirst(),
             QVariantList({u"room"_s, QVariant::fromValue(QJsonValue(u"hello"_s))}));

    // From the server: the same.
    QCOMPARE(server->broadcast(u"room"_s, u"from the app"_s), 2);
    QVERIFY(a.sees(u"room from the app"_s));
    QVERIFY(b.sees(u"room from the app"_s));
    QCOMPARE(receivedOf(root(u"b"_s)), QJsonArray({u"room hello"_s, u"room from the app"_s}));
}

void tst_MusubiTestPubSub::otherTopicsSeeNothing_data()
{
    addProfiles();
}

void tst_MusubiTestPubSub::otherTopicsSeeNothing()
{
    QFETCH(bool, shared);
    RoomClient a, b, c;
    QVERIFY(a.mount(server->url(), shared, u"a"_s, {{u"topics"_s, QJsonArray{u"r1"_s}}}));
    QVERIFY(b.mount(server->url(), shared, u"b"_s, {{u"topics"_s, QJsonArray{u"r1"_s}}}));
    QVERIFY(c.mount(server->url(), shared, u"c"_s, {{u"topics"_s, QJsonArray{u"r2"_s}}}));

    QCOMPARE(a.command(u"say"_s, {{u"topic"_s, u"r1"_s}, {u"text"_s, u"one"_s}}),
             QJsonObject({{u"recipients"_s, 2}}));
    QCOMPARE(c.command(u"say"_s, {{u"topic"_s, u"r2"_s}, {u"text"_s, u"two"_s}}),
             QJsonObject({{u"recipients"_s, 1}}));
    // Nobody listens on r3.
    QCOMPARE(a.command(u"say"_s, {{u"topic"_s, u"r3"_s}, {u"text"_s, u"three"_s}}),
             QJsonObject({{u"recipients"_s, 0}}));
    QVERIFY(b.sees(u"r1 one"_s));
    QVERIFY(c.sees(u"r2 two"_s));
    QTRY_COMPARE(log.size(), 3);
    QCOMPARE(receivedOf(root(u"a"_s)), QJsonArray({u"r1 one"_s}));
    QCOMPARE(receivedOf(root(u"b"_s)), QJsonArray({u"r1 one"_s}));
    QCOMPARE(receivedOf(root(u"c"_s)), QJsonArray({u"r2 two"_s}));
}

void tst_MusubiTestPubSub::broadcastFromSkipsTheSender_data()
{
    addProfiles();
}

void tst_MusubiTestPubSub::broadcastFromSkipsTheSender()
{
    QFETCH(bool, shared);
    RoomClient a, b;
    QVERIFY(a.mount(server->url(), shared, u"a"_s));
    QVERIFY(b.mount(server->url(), shared, u"b"_s));

    QCOMPARE(a.command(u"say"_s, {{u"text"_s, u"not to me"_s}, {u"from"_s, true}}),
             QJsonObject({{u"recipients"_s, 1}}));
    QVERIFY(b.sees(u"room not to me"_s));
    QCOMPARE(server->broadcastFrom(root(u"b"_s), u"room"_s, u"not to b"_s), 1);
    QVERIFY(a.sees(u"room not to b"_s));
    QCOMPARE(log, QStringList({u"b room not to me"_s, u"a room not to b"_s}));
    // A null sender skips nobody.
    QCOMPARE(server->broadcastFrom(nullptr, u"room"_s, u"all"_s), 2);
    QTRY_COMPARE(log.size(), 4);
}

void tst_MusubiTestPubSub::subscribeAndUnsubscribe()
{
    RoomClient a, b;
    QVERIFY(a.mount(server->url(), false, u"a"_s, {{u"topics"_s, QJsonArray()}}));
    QVERIFY(b.mount(server->url(), false, u"b"_s));
    QCOMPARE(root(u"a"_s)->subscriptions(), QStringList());
    QCOMPARE(root(u"b"_s)->subscriptions(), QStringList({u"room"_s}));

    // Twice is once.
    QCOMPARE(a.command(u"subscribe"_s, {{u"topic"_s, u"room"_s}}), QJsonObject());
    QCOMPARE(a.command(u"subscribe"_s, {{u"topic"_s, u"room"_s}}), QJsonObject());
    QVERIFY(root(u"a"_s)->isSubscribed(u"room"_s));
    QCOMPARE(server->subscriberCount(u"room"_s), 2);
    QCOMPARE(server->broadcast(u"room"_s, u"x"_s), 2);
    QVERIFY(a.sees(u"room x"_s));
    QTRY_COMPARE(log, QStringList({u"a room x"_s, u"b room x"_s}));

    QCOMPARE(a.command(u"unsubscribe"_s, {{u"topic"_s, u"room"_s}}), QJsonObject());
    QVERIFY(!root(u"a"_s)->isSubscribed(u"room"_s));
    QCOMPARE(server->broadcast(u"room"_s, u"y"_s), 1);
    QVERIFY(b.sees(u"room y"_s));
    QCOMPARE(log, QStringList({u"a room x"_s, u"b room x"_s, u"b room y"_s}));
    QCOMPARE(receivedOf(root(u"a"_s)), QJsonArray({u"room x"_s}));
}

void tst_MusubiTestPubSub::nothingAfterUnmount_data()
{
    addProfiles();
}

void tst_MusubiTestPubSub::nothingAfterUnmount()
{
    QFETCH(bool, shared);
    RoomClient a, b;
    QVERIFY(a.mount(server->url(), shared, u"a"_s));
    QVERIFY(b.mount(server->url(), shared, u"b"_s));
    QPointer<MusubiTestStore> gone = root(u"a"_s);
    QVERIFY(a.unmount());
    QCOMPARE(server->subscriberCount(u"room"_s), 1);
    QTRY_VERIFY(!gone); // the store itself goes away too

    QCOMPARE(b.command(u"say"_s, {{u"text"_s, u"after"_s}}), QJsonObject({{u"recipients"_s, 1}}));
    QVERIFY(b.sees(u"room after"_s));
    QCOMPARE(log, QStringList({u"b room after"_s}));
    // The unmounted client got nothing more than the leave/unmount reply.
    QVERIFY(a.raw.sync());
    QVERIFY(std::none_of(a.raw.inbox.cbegin(), a.raw.inbox.cend(),
                         [](const PhoenixMessage &m) { return patchMentions(m, u"after"_s); }));
}

void tst_MusubiTestPubSub::nothingAfterDisconnect()
{
    RoomClient a, b;
    QVERIFY(a.mount(server->url(), true, u"a"_s));
    QVERIFY(b.mount(server->url(), false, u"b"_s));
    QSignalSpy unmounted(server, &MusubiTestServer::rootUnmounted);
    a.raw.socket.abort();
    QVERIFY(unmounted.wait());
    QCOMPARE(unmounted.constFirst().constFirst().toString(), u"Test.Room:a"_s);
    QCOMPARE(server->subscribers(u"room"_s), QList<MusubiTestStore *>({root(u"b"_s)}));
    QCOMPARE(server->broadcast(u"room"_s, u"after"_s), 1);
    QVERIFY(b.sees(u"room after"_s));
    QCOMPARE(log, QStringList({u"b room after"_s}));
}

void tst_MusubiTestPubSub::nothingAfterServerClose()
{
    RoomClient a;
    QVERIFY(a.mount(server->url(), false, u"a"_s));
    QCOMPARE(server->broadcast(u"room"_s, u"queued"_s), 1);
    server->close(); // drops every connection: the queued message has nobody left
    QCOMPARE(server->subscriberCount(u"room"_s), 0);
    QCOMPARE(server->broadcast(u"room"_s, u"after"_s), 0);
    QVERIFY(pastQueuedDeliveries());
    QVERIFY(log.isEmpty());
}

void tst_MusubiTestPubSub::queuedForADeadStoreIsDropped_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("closeChannel") << u"closeChannel"_s;
    QTest::newRow("dropConnections") << u"dropConnections"_s;
}

void tst_MusubiTestPubSub::queuedForADeadStoreIsDropped()
{
    QFETCH(QString, how);
    RoomClient a, b;
    QVERIFY(a.mount(server->url(), false, u"a"_s));
    QVERIFY(b.mount(server->url(), true, u"b"_s));
    // Queued for both; a's mount ends before the delivery turn.
    QCOMPARE(server->broadcast(u"room"_s, u"late"_s), 2);
    if (how == u"closeChannel"_s) {
        QVERIFY(server->closeChannel(a.topic));
        QCOMPARE(server->subscriberCount(u"room"_s), 1);
        QVERIFY(b.sees(u"room late"_s));
        QCOMPARE(log, QStringList({u"b room late"_s}));
    } else {
        server->dropConnections();
        QCOMPARE(server->subscriberCount(u"room"_s), 0);
        QVERIFY(pastQueuedDeliveries());
        QVERIFY(log.isEmpty());
    }
}

void tst_MusubiTestPubSub::unsubscribeDropsQueued()
{
    RoomClient a, b;
    QVERIFY(a.mount(server->url(), false, u"a"_s));
    QVERIFY(b.mount(server->url(), false, u"b"_s));
    QCOMPARE(server->broadcast(u"room"_s, u"queued"_s), 2);
    root(u"a"_s)->unsubscribe(u"room"_s);
    QVERIFY(b.sees(u"room queued"_s));
    QCOMPARE(log, QStringList({u"b room queued"_s}));
}

void tst_MusubiTestPubSub::orderIsKept()
{
    RoomClient a, b;
    QVERIFY(a.mount(server->url(), false, u"a"_s, {{u"topics"_s, QJsonArray{u"t1"_s, u"t2"_s}}}));
    QVERIFY(b.mount(server->url(), true, u"b"_s, {{u"topics"_s, QJsonArray{u"t2"_s, u"t1"_s}}}));

    // Interleaved: client commands (each one turn) and server broadcasts, on two topics.
    QStringList expected;
    for (int i = 1; i <= 20; ++i) {
        const QString topic = i % 3 ? u"t1"_s : u"t2"_s;
        const QString text = u"m%1"_s.arg(i);
        expected.append(topic + u' ' + text);
        if (i % 2) {
            QCOMPARE(server->broadcast(topic, text), 2);
        } else {
            // Pushed without waiting: the command runs whenever the frame is read.
            QJsonObject push{{u"store_id"_s, QJsonArray()},
                             {u"name"_s, u"say"_s},
                             {u"root_id"_s, b.rootId()},
                             {u"payload"_s, QJsonObject{{u"topic"_s, topic}, {u"text"_s, text}}}};
            b.raw.send(b.join, b.topic, u"command"_s, push);
            QVERIFY(b.raw.sync()); // its broadcast is queued before the next one
        }
    }
    QVERIFY(a.sees(u"t1 m20"_s));
    QTRY_COMPARE(receivedOf(root(u"a"_s)).toVariantList().size(), 20);
    QTRY_COMPARE(receivedOf(root(u"b"_s)).toVariantList().size(), 20);
    QCOMPARE(receivedOf(root(u"a"_s)), QJsonArray::fromStringList(expected));
    QCOMPARE(receivedOf(root(u"b"_s)), QJsonArray::fromStringList(expected));
}

void tst_MusubiTestPubSub::broadcastsFromHandlersQueueBehind()
{
    RoomClient a, b;
    QVERIFY(a.mount(server->url(), false, u"a"_s));
    QVERIFY(b.mount(server->url(), false, u"b"_s));
    // "echo:x" makes each recipient broadcast "x": those come after "second".
    QCOMPARE(server->broadcast(u"room"_s, u"echo:x"_s), 2);
    QCOMPARE(server->broadcast(u"room"_s, u"second"_s), 2);
    QTRY_COMPARE(log.size(), 8);
    QCOMPARE(log,
             QStringList({u"a room echo:x"_s, u"b room echo:x"_s, u"a room second"_s,
                          u"b room second"_s, u"a room x"_s, u"b room x"_s, u"a room x"_s,
                          u"b room x"_s}));
}

void tst_MusubiTestPubSub::childStoresAndEarlySubscriptions()
{
    // A factory-made store subscribes before it is mounted; a child store subscribes too.
    QStringList childLog;
    server->registerRoot(u"Test.Parent"_s, [&childLog](const MusubiTestMount &, QString *) {
        auto *store = new MusubiTestStore;
        store->subscribe(u"early"_s);
        store->onInfo(u"early"_s,
                      [store](const QJsonValue &message) { store->setValue(u"early"_s, message); });
        auto *child = store->addChild({u"kid"_s}, new MusubiTestStore);
        child->subscribe(u"kids"_s);
        child->onInfo(u"kids"_s, [child, &childLog](const QJsonValue &message) {
            childLog.append(message.toString());
            child->setValue(u"heard"_s, message);
        });
        store->setRenderer([store](const MusubiTestStore *) {
            return QJsonObject{{u"early"_s, store->value(u"early"_s)},
                               {u"kid"_s, store->childSlot({u"kid"_s})}};
        });
        return store;
    });
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    const QString topic = u"musubi:connection:Test.Parent:p"_s;
    const QString join =
            client.join(topic, QJsonObject{{u"module"_s, u"Test.Parent"_s}, {u"id"_s, u"p"_s}});
    QVERIFY(client.replyTo(join));
    QVERIFY(client.next([](const PhoenixMessage &m) { return m.event == u"patch"_s; }));
    MusubiTestStore *parent = server->mountedRoot(u"Test.Parent:p"_s);
    QVERIFY(parent);
    QCOMPARE(server->subscribers(u"early"_s), QList<MusubiTestStore *>({parent}));
    QCOMPARE(server->subscribers(u"kids"_s), QList<MusubiTestStore *>({parent->childStores()}));

    QCOMPARE(server->broadcast(u"early"_s, u"e"_s), 1);
    QVERIFY(client.next([](const PhoenixMessage &m) { return patchMentions(m, u"\"e\""_s); }));
    QCOMPARE(server->broadcast(u"kids"_s, u"k"_s), 1);
    QVERIFY(client.next([](const PhoenixMessage &m) { return patchMentions(m, u"\"k\""_s); }));
    QCOMPARE(childLog, QStringList({u"k"_s}));

    // Removing the child ends its subscriptions; onInfo(topic, {}) removes a handler.
    parent->removeChild({u"kid"_s});
    QCOMPARE(server->subscriberCount(u"kids"_s), 0);
    parent->onInfo(u"early"_s, {});
    QSignalSpy info(parent, &MusubiTestStore::infoReceived);
    QCOMPARE(server->broadcast(u"early"_s, u"ignored"_s), 1);
    QVERIFY(info.wait());
    QCOMPARE(parent->value(u"early"_s).toString(), u"e"_s);

    // The mount ends: so do its subscriptions.
    QVERIFY(server->closeChannel(topic));
    QCOMPARE(server->subscriberCount(u"early"_s), 0);
}

void tst_MusubiTestPubSub::throwingHandlerCrashesChannel()
{
    RoomClient a, b;
    QVERIFY(a.mount(server->url(), false, u"a"_s));
    QVERIFY(b.mount(server->url(), false, u"b"_s));
    QCOMPARE(b.command(u"say"_s, {{u"text"_s, u"crash"_s}, {u"from"_s, true}}),
             QJsonObject({{u"recipients"_s, 1}}));
    const auto error =
            a.raw.next([](const PhoenixMessage &m) { return m.event == u"phx_error"_s; });
    QVERIFY(error);
    QCOMPARE(error->topic, a.topic);
    QTRY_COMPARE(server->mountedRootCount(), 1);
    QCOMPARE(server->subscribers(u"room"_s), QList<MusubiTestStore *>({root(u"b"_s)}));
    // The sender is unaffected.
    QCOMPARE(b.command(u"say"_s, {{u"text"_s, u"still here"_s}}),
             QJsonObject({{u"recipients"_s, 1}}));
    QVERIFY(b.sees(u"room still here"_s));
}

void tst_MusubiTestPubSub::refusals()
{
    // Not mounted: nothing to broadcast through; empty topics are refused.
    MusubiTestStore loose;
    loose.subscribe(u"room"_s);
    QVERIFY(loose.isSubscribed(u"room"_s));
    QCOMPARE(loose.broadcast(u"room"_s, u"x"_s), 0);
    QCOMPARE(loose.broadcastFrom(u"room"_s, u"x"_s), 0);
    loose.subscribe(QString());
    QCOMPARE(loose.subscriptions(), QStringList({u"room"_s}));
    QCOMPARE(server->broadcast(QString(), u"x"_s), 0);
    QCOMPARE(server->subscriberCount(u"room"_s), 0); // an unmounted store is nobody's subscriber
}

QTEST_MAIN(tst_MusubiTestPubSub)
#include "tst_musubitestpubsub.moc"
