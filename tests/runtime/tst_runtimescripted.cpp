// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// The runtime against a scripted raw-frame server (a bare QWebSocketServer):
// the Profile S generations MusubiTestServer does not emulate (B1, B2), the
// already_mounted paths, and wire details that need exact frames.

#include <musubicommanderror.h>
#include <musubiconnection.h>
#include <musubiroot.h>
#include <musubistore.h>
#include <phoenixchannel.h>
#include <phoenixmessage.h>
#include <phoenixscheduler.h>
#include <phoenixsocket.h>

#include <QtCore/QJsonDocument>
#include <QtCore/QPointer>
#include <QtNetwork/QHostAddress>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

#include <algorithm>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString Module = u"Shop.CartStore"_s;
const QString RootId = u"Shop.CartStore:c1"_s;

/*
    A Phoenix server that answers heartbeats and joins by itself and hands
    every other message to the test's handler.
*/
class ScriptedServer : public QObject
{
    Q_OBJECT
public:
    ScriptedServer()
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this); // the caller owns accepted sockets
                m_socket = socket;
                connect(socket, &QWebSocket::textMessageReceived, this,
                        [this](const QString &text) { onText(text.toUtf8()); });
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1/socket"_s.arg(m_server.serverPort())); }

    //! Join replies per topic (default: ok {}).
    QHash<QString, QPair<QString, QJsonObject>> joinReplies;
    std::function<void(const PhoenixMessage &)> handler;
    QList<PhoenixMessage> received; // everything but heartbeats

    void reply(const PhoenixMessage &to, const QString &status, const QJsonObject &response)
    {
        send(to.joinRef, to.ref, to.topic, u"phx_reply"_s,
             QJsonObject{{u"status"_s, status}, {u"response"_s, response}});
    }
    void push(const QString &topic, const QString &event, const QJsonObject &payload)
    {
        send(m_joinRefs.value(topic), QString(), topic, event, payload);
    }
    void send(const QString &joinRef, const QString &ref, const QString &topic,
              const QString &event, const QJsonObject &payload)
    {
        PhoenixMessage message;
        message.joinRef = joinRef;
        message.ref = ref;
        message.topic = topic;
        message.event = event;
        message.payload = payload;
        if (m_socket)
            m_socket->sendTextMessage(QString::fromUtf8(PhoenixSerializer::encodeText(message)));
    }
    QStringList events() const
    {
        QStringList out;
        for (const auto &m : received)
            out << m.event;
        return out;
    }

Q_SIGNALS:
    void messageReceived(const PhoenixMessage &message);

private:
    void onText(const QByteArray &frame)
    {
        const auto message = PhoenixSerializer::decodeText(frame);
        if (!message)
            return;
        if (message->topic == "phoenix"_L1) {
            reply(*message, u"ok"_s, {});
            return;
        }
        received.append(*message);
        if (message->event == "phx_join"_L1) {
            m_joinRefs.insert(message->topic, message->joinRef);
            const auto answer =
                    joinReplies.value(message->topic, qMakePair(u"ok"_s, QJsonObject()));
            reply(*message, answer.first, answer.second);
        } else if (message->event == "phx_leave"_L1) {
            reply(*message, u"ok"_s, {});
        } else if (handler) {
            handler(*message);
        }
        Q_EMIT messageReceived(*message);
    }

    QWebSocketServer m_server{u"scripted"_s, QWebSocketServer::NonSecureMode};
    QPointer<QWebSocket> m_socket;
    QHash<QString, QString> m_joinRefs;
};

QJsonObject envelope(const QString &rootId, int base, const QJsonObject &state = {},
                     const QJsonArray &events = {})
{
    QJsonObject tree = state;
    tree.insert(u"__musubi_store_id__"_s, QJsonArray());
    return {{u"type"_s, u"patch"_s},
            {u"root_id"_s, rootId},
            {u"base_version"_s, base},
            {u"version"_s, base + 1},
            {u"ops"_s,
             QJsonArray{
                     QJsonObject{{u"op"_s, u"replace"_s}, {u"path"_s, u""_s}, {u"value"_s, tree}}}},
            {u"stream_ops"_s, QJsonArray()},
            {u"upload_ops"_s, QJsonArray()},
            {u"events"_s, events}};
}

} // namespace

Q_DECLARE_METATYPE(PhoenixMessage)

class tst_RuntimeScripted : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void sharedRootIdFromReply_data();
    void sharedRootIdFromReply();
    void patchBeforeMountReply();
    void sharedCommandUnknownRoot();
    void unknownRootPatchDropped();
    void alreadyMountedRemounts_data();
    void alreadyMountedRemounts();
    void alreadyMountedTwiceFails();
    void alreadyMountedUnknownRoot();
    void mountTimeout();
    void recoveryUnmountsThenMounts();
    void perRootJoinRootIdMismatch();
    void perRootInitialVersionWrong();
    void sharedInitialPatchUnusable_data();
    void sharedInitialPatchUnusable();
    void initialPatchNeverArrives_data();
    void initialPatchNeverArrives();
    void remountWithoutInitialPatchStartsOver();
    void perRootEventsLenient();
    void alreadyMountedLimitPerRecovery();
    void refusedJoinLeavesItsTopic_data();
    void refusedJoinLeavesItsTopic();

private:
    //! Virtual time for the client's timers (Phoenix layer and mounts), a real socket below.
    PhoenixManualScheduler *useManualClock();
    //! True once the client has read every frame the server wrote on \a topic so far.
    bool clientCaughtUp(const QString &topic);

    std::unique_ptr<ScriptedServer> m_server;
    std::unique_ptr<MusubiConnection> m_connection;
};

void tst_RuntimeScripted::init()
{
    m_server = std::make_unique<ScriptedServer>();
    QVERIFY(m_server->listen());
    m_connection = std::make_unique<MusubiConnection>();
    m_connection->setUrl(m_server->url());
    m_connection->setProtocol(MusubiConnection::Protocol::SharedChannel);
}

void tst_RuntimeScripted::cleanup()
{
    m_connection.reset();
    m_server.reset();
}

PhoenixManualScheduler *tst_RuntimeScripted::useManualClock()
{
    // Owned by the connection: its socket still uses it while the connection goes away.
    auto *clock = new PhoenixManualScheduler(m_connection.get());
    m_connection->socket()->setScheduler(clock);
    m_connection->setHeartbeatInterval(0);
    return clock;
}

bool tst_RuntimeScripted::clientCaughtUp(const QString &topic)
{
    const QList<PhoenixChannel *> channels = m_connection->socket()->channels();
    const auto it = std::find_if(channels.cbegin(), channels.cend(),
                                 [&](const PhoenixChannel *c) { return c->topic() == topic; });
    if (it == channels.cend())
        return false;
    // The server's frames arrive in order: once a marker pushed now is read, so is the rest.
    QSignalSpy seen(*it, &PhoenixChannel::messageReceived);
    m_server->push(topic, u"caught_up"_s, {});
    return QTest::qWaitFor(
            [&] {
                return std::any_of(seen.cbegin(), seen.cend(), [](const QList<QVariant> &args) {
                    return args.at(0).toString() == "caught_up"_L1;
                });
            },
            5000);
}

void tst_RuntimeScripted::sharedRootIdFromReply_data()
{
    QTest::addColumn<QJsonObject>("reply");
    QTest::addColumn<QString>("wireId");
    // B1 used the mount id verbatim as root_id, with or without saying so.
    QTest::newRow("B1 silent") << QJsonObject() << u"c1"_s;
    QTest::newRow("B1 echo") << QJsonObject{{u"root_id"_s, u"c1"_s}} << u"c1"_s;
    QTest::newRow("B2/B3") << QJsonObject{{u"root_id"_s, RootId}} << RootId;
}

void tst_RuntimeScripted::sharedRootIdFromReply()
{
    QFETCH(QJsonObject, reply);
    QFETCH(QString, wireId);
    m_server->handler = [&](const PhoenixMessage &m) {
        if (m.event == "mount"_L1) {
            QCOMPARE(m.payload.toObject(),
                     QJsonObject({{u"module"_s, Module},
                                  {u"id"_s, u"c1"_s},
                                  {u"params"_s, QJsonObject{{u"a"_s, 1}}}}));
            m_server->reply(m, u"ok"_s, reply);
            m_server->push(m.topic, u"patch"_s, envelope(wireId, 0, {{u"n"_s, 1}}));
        } else if (m.event == "command"_L1) {
            m_server->reply(m, u"ok"_s, m.payload.toObject());
        }
    };
    MusubiRoot root(m_connection.get(), Module, u"c1"_s, {{u"a"_s, 1}});
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Live);
    QCOMPARE(root.rootId(), wireId);
    QCOMPARE(root.store()->value(u"n"_s).toInt(), 1);
    auto future = root.dispatch(QJsonArray{u"x"_s}, u"go"_s, {{u"k"_s, 2}});
    QTRY_VERIFY(future.isFinished());
    QCOMPARE(future.result().toObject(),
             QJsonObject({{u"root_id"_s, wireId},
                          {u"store_id"_s, QJsonArray{u"x"_s}},
                          {u"name"_s, u"go"_s},
                          {u"payload"_s, QJsonObject{{u"k"_s, 2}}}}));
}

void tst_RuntimeScripted::patchBeforeMountReply()
{
    // Should a reply be processed after the patch that follows it, the patch must not be lost.
    m_server->handler = [&](const PhoenixMessage &m) {
        if (m.event == "mount"_L1) {
            m_server->push(m.topic, u"patch"_s, envelope(RootId, 0, {{u"n"_s, 2}}));
            m_server->reply(m, u"ok"_s, {{u"root_id"_s, RootId}});
        }
    };
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Live);
    QCOMPARE(root.store()->value(u"n"_s).toInt(), 2);
}

void tst_RuntimeScripted::sharedCommandUnknownRoot()
{
    // Profile S only: the server no longer knows the root the command names.
    m_server->handler = [&](const PhoenixMessage &m) {
        if (m.event == "mount"_L1) {
            m_server->reply(m, u"ok"_s, {{u"root_id"_s, RootId}});
            m_server->push(m.topic, u"patch"_s, envelope(RootId, 0));
        } else if (m.event == "command"_L1) {
            m_server->reply(m, u"error"_s, {{u"reason"_s, u"unknown root"_s}});
        }
    };
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Live);
    auto future = root.dispatch({}, u"go"_s);
    QTRY_VERIFY(future.isFinished());
    try {
        future.result();
        QFAIL("the command should have failed");
    } catch (const MusubiCommandError &error) {
        QCOMPARE(error.kind(), MusubiCommandError::Kind::Failed);
        QCOMPARE(error.code(), u"unknown root"_s);
        QCOMPARE(error.message(), u"Command \"go\" failed: unknown root"_s);
    }
}

void tst_RuntimeScripted::unknownRootPatchDropped()
{
    m_server->handler = [&](const PhoenixMessage &m) {
        if (m.event == "mount"_L1) {
            m_server->reply(m, u"ok"_s, {{u"root_id"_s, RootId}});
            m_server->push(m.topic, u"patch"_s, envelope(u"Other:zz"_s, 0, {{u"n"_s, 9}}));
            m_server->push(m.topic, u"patch"_s, envelope(RootId, 0, {{u"n"_s, 3}}));
        }
    };
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Live);
    QCOMPARE(root.store()->value(u"n"_s).toInt(), 3);
    QCOMPARE(root.version(), 1);
}

void tst_RuntimeScripted::alreadyMountedRemounts_data()
{
    QTest::addColumn<QJsonObject>("refusal");
    QTest::newRow("B2") << QJsonObject{{u"reason"_s, u"root already mounted"_s}};
    QTest::newRow("B3") << QJsonObject{{u"reason"_s, u"already_mounted"_s}, {u"root_id"_s, RootId}};
}

void tst_RuntimeScripted::alreadyMountedRemounts()
{
    QFETCH(QJsonObject, refusal);
    int mounts = 0;
    m_server->handler = [&](const PhoenixMessage &m) {
        if (m.event == "mount"_L1) {
            if (++mounts == 1) {
                m_server->reply(m, u"error"_s, refusal);
                return;
            }
            m_server->reply(m, u"ok"_s, {{u"root_id"_s, RootId}});
            m_server->push(m.topic, u"patch"_s, envelope(RootId, 0, {{u"n"_s, 5}}));
        } else if (m.event == "unmount"_L1) {
            QCOMPARE(m.payload.toObject(), QJsonObject({{u"root_id"_s, RootId}}));
            m_server->reply(m, u"ok"_s, {});
        }
    };
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Live);
    QCOMPARE(m_server->events(),
             QStringList({u"phx_join"_s, u"mount"_s, u"unmount"_s, u"mount"_s}));
    QCOMPARE(root.store()->value(u"n"_s).toInt(), 5);
    QCOMPARE(root.rootId(), RootId);
}

void tst_RuntimeScripted::alreadyMountedTwiceFails()
{
    m_server->handler = [&](const PhoenixMessage &m) {
        if (m.event == "mount"_L1)
            m_server->reply(m, u"error"_s,
                            {{u"reason"_s, u"already_mounted"_s}, {u"root_id"_s, RootId}});
        else
            m_server->reply(m, u"error"_s, {{u"reason"_s, u"unknown root"_s}});
    };
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Failed);
    QCOMPARE(root.errorString(), u"Root mount failed: already_mounted"_s);
    QCOMPARE(m_server->events(),
             QStringList({u"phx_join"_s, u"mount"_s, u"unmount"_s, u"mount"_s}));
}

void tst_RuntimeScripted::alreadyMountedUnknownRoot()
{
    m_server->handler = [&](const PhoenixMessage &m) {
        if (m.event == "mount"_L1)
            m_server->reply(m, u"error"_s,
                            {{u"reason"_s, u"already_mounted"_s}, {u"root_id"_s, u"Other:x"_s}});
    };
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Failed);
    QVERIFY2(root.errorString().contains(u"Other:x"_s), qPrintable(root.errorString()));
    QCOMPARE(m_server->events(), QStringList({u"phx_join"_s, u"mount"_s}));
}

void tst_RuntimeScripted::mountTimeout()
{
    PhoenixManualScheduler *clock = useManualClock();
    m_connection->setJoinTimeout(200);
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    QSignalSpy errors(&root, &MusubiRoot::errorOccurred);
    root.mount();
    QTRY_VERIFY(m_server->events().contains(u"mount"_s)); // the server never answers it
    clock->advance(199);
    QCOMPARE(root.status(), MusubiRoot::Status::Connecting);
    clock->advance(1);
    QCOMPARE(root.status(), MusubiRoot::Status::Failed);
    QCOMPARE(root.errorString(), u"Root mount timed out"_s);
    QCOMPARE(errors.count(), 1);
}

void tst_RuntimeScripted::recoveryUnmountsThenMounts()
{
    QString topic;
    m_server->handler = [&](const PhoenixMessage &m) {
        topic = m.topic;
        if (m.event == "mount"_L1) {
            m_server->reply(m, u"ok"_s, {{u"root_id"_s, RootId}});
            m_server->push(m.topic, u"patch"_s, envelope(RootId, 0, {{u"n"_s, 1}}));
        } else if (m.event == "unmount"_L1) {
            m_server->reply(m, u"ok"_s, {});
        }
    };
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Live);
    QSignalSpy status(&root, &MusubiRoot::statusChanged);
    // A gap (1 → 3): recovery; late envelopes of the old root are ignored meanwhile.
    m_server->push(topic, u"patch"_s, envelope(RootId, 2, {{u"n"_s, 9}}));
    m_server->push(topic, u"patch"_s, envelope(RootId, 3, {{u"n"_s, 9}}));
    QTRY_COMPARE(status.count(), 2);
    QCOMPARE(root.status(), MusubiRoot::Status::Live);
    QCOMPARE(root.store()->value(u"n"_s).toInt(), 1);
    QCOMPARE(m_server->events(),
             QStringList({u"phx_join"_s, u"mount"_s, u"unmount"_s, u"mount"_s}));
}

void tst_RuntimeScripted::perRootJoinRootIdMismatch()
{
    m_connection->setProtocol(MusubiConnection::Protocol::PerRootChannel);
    const QString topic = u"musubi:connection:"_s + RootId;
    m_server->joinReplies.insert(topic, {u"ok"_s, {{u"root_id"_s, u"Wrong:x"_s}}});
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Failed);
    QCOMPARE(root.errorString(), u"Root join returned unexpected root_id: Wrong:x"_s);
    QTRY_COMPARE(m_server->events(), QStringList({u"phx_join"_s, u"phx_leave"_s}));
    QCOMPARE(
            m_server->received.at(0).payload.toObject(),
            QJsonObject({{u"module"_s, Module}, {u"id"_s, u"c1"_s}, {u"params"_s, QJsonObject()}}));
}

void tst_RuntimeScripted::perRootInitialVersionWrong()
{
    m_connection->setProtocol(MusubiConnection::Protocol::PerRootChannel);
    const QString topic = u"musubi:connection:"_s + RootId;
    connect(m_server.get(), &ScriptedServer::messageReceived, this, [&](const PhoenixMessage &m) {
        if (m.event == "phx_join"_L1)
            m_server->push(topic, u"patch"_s, envelope(RootId, 3));
    });
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Failed);
    QCOMPARE(root.errorString(), u"Initial patch envelope must start at version 1"_s);
    QTRY_COMPARE(m_server->events(), QStringList({u"phx_join"_s, u"phx_leave"_s}));
}

void tst_RuntimeScripted::sharedInitialPatchUnusable_data()
{
    QTest::addColumn<QJsonObject>("initial");
    QTest::addColumn<QString>("error");
    QTest::newRow("wrong version")
            << envelope(RootId, 3) << u"Initial patch envelope must start at version 1"_s;
    QJsonObject rejected = envelope(RootId, 0);
    rejected.insert(u"ops"_s,
                    QJsonArray{QJsonObject{{u"op"_s, u"remove"_s}, {u"path"_s, u"/x"_s}}});
    QTest::newRow("rejected ops") << rejected << u"Patch rejected: "_s;
}

// The server started the root although its first initial patch is unusable: a Profile S
// client unmounts it, or it would stay mounted for nobody.
void tst_RuntimeScripted::sharedInitialPatchUnusable()
{
    QFETCH(QJsonObject, initial);
    QFETCH(QString, error);
    m_server->handler = [&](const PhoenixMessage &m) {
        if (m.event == "mount"_L1) {
            m_server->reply(m, u"ok"_s, {{u"root_id"_s, RootId}});
            m_server->push(m.topic, u"patch"_s, initial);
        } else if (m.event == "unmount"_L1) {
            m_server->reply(m, u"ok"_s, {});
        }
    };
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Failed);
    QVERIFY2(root.errorString().startsWith(error), qPrintable(root.errorString()));
    QTRY_COMPARE(m_server->events(), QStringList({u"phx_join"_s, u"mount"_s, u"unmount"_s}));
    QCOMPARE(m_server->received.last().payload.toObject(), QJsonObject({{u"root_id"_s, RootId}}));
}

void tst_RuntimeScripted::initialPatchNeverArrives_data()
{
    QTest::addColumn<MusubiConnection::Protocol>("protocol");
    QTest::addColumn<QStringList>("events");
    QTest::newRow("shared") << MusubiConnection::Protocol::SharedChannel
                            << QStringList({u"phx_join"_s, u"mount"_s, u"unmount"_s});
    QTest::newRow("per-root") << MusubiConnection::Protocol::PerRootChannel
                              << QStringList({u"phx_join"_s, u"phx_leave"_s});
}

// The join or mount is accepted but no initial patch follows: the first mount fails
// after the join timeout and gives the root back to the server.
void tst_RuntimeScripted::initialPatchNeverArrives()
{
    QFETCH(MusubiConnection::Protocol, protocol);
    QFETCH(QStringList, events);
    PhoenixManualScheduler *clock = useManualClock();
    m_connection->setProtocol(protocol);
    m_connection->setJoinTimeout(300);
    m_server->handler = [&](const PhoenixMessage &m) {
        if (m.event == "mount"_L1 || m.event == "unmount"_L1)
            m_server->reply(m, u"ok"_s, {{u"root_id"_s, RootId}});
    };
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    QSignalSpy failed(&root, &MusubiRoot::errorOccurred);
    root.mount();
    const bool perRoot = protocol == MusubiConnection::Protocol::PerRootChannel;
    const QString topic = perRoot ? u"musubi:connection:"_s + RootId : u"musubi:connection"_s;
    QTRY_VERIFY(m_server->events().contains(perRoot ? u"phx_join"_s : u"mount"_s));
    QVERIFY(clientCaughtUp(topic)); // the accepting reply is read: the wait has begun
    clock->advance(299);
    QCOMPARE(failed.count(), 0);
    clock->advance(1);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(root.status(), MusubiRoot::Status::Failed);
    QCOMPARE(root.errorString(), u"Root mount timed out: no initial patch"_s);
    QTRY_COMPARE(m_server->events(), events);
}

// A remount (here: version-gap recovery) whose initial patch never comes starts over
// instead of leaving the root in Reconnecting for good.
void tst_RuntimeScripted::remountWithoutInitialPatchStartsOver()
{
    PhoenixManualScheduler *clock = useManualClock();
    m_connection->setJoinTimeout(300);
    int mounts = 0;
    m_server->handler = [&](const PhoenixMessage &m) {
        if (m.event == "mount"_L1) {
            ++mounts;
            m_server->reply(m, u"ok"_s, {{u"root_id"_s, RootId}});
            if (mounts != 2) // the second mount gets no initial patch
                m_server->push(m.topic, u"patch"_s, envelope(RootId, 0, {{u"n"_s, mounts}}));
        } else if (m.event == "unmount"_L1) {
            m_server->reply(m, u"ok"_s, {});
        }
    };
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Live);
    m_server->push(u"musubi:connection"_s, u"patch"_s, envelope(RootId, 4, {{u"n"_s, 9}}));
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Reconnecting);
    QCOMPARE(root.store()->value(u"n"_s).toInt(), 1); // last good state meanwhile
    QTRY_COMPARE(mounts, 2);
    QVERIFY(clientCaughtUp(u"musubi:connection"_s)); // the second mount's reply is read
    clock->advance(299);
    QCOMPARE(mounts, 2);
    clock->advance(1); // no initial patch: the recovery starts over
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Live);
    QCOMPARE(root.store()->value(u"n"_s).toInt(), 3);
    QCOMPARE(m_server->events(),
             QStringList({u"phx_join"_s, u"mount"_s, u"unmount"_s, u"mount"_s, u"unmount"_s,
                          u"mount"_s}));
}

void tst_RuntimeScripted::perRootEventsLenient()
{
    m_connection->setProtocol(MusubiConnection::Protocol::PerRootChannel);
    const QString topic = u"musubi:connection:"_s + RootId;
    const QJsonArray events{
            QJsonObject{{u"name"_s, u"hello"_s}, {u"payload"_s, 1}}, // early 0.13: no store_id
            QJsonObject{{u"name"_s, 3}},
            QJsonObject{{u"store_id"_s, u"x"_s}, {u"name"_s, u"bad"_s}},
            u"not an object"_s,
            QJsonObject{{u"store_id"_s, QJsonArray()}, {u"name"_s, u"bye"_s}},
    };
    connect(m_server.get(), &ScriptedServer::messageReceived, this, [&](const PhoenixMessage &m) {
        if (m.event == "phx_join"_L1)
            m_server->push(topic, u"patch"_s, envelope(RootId, 0, {{u"n"_s, 1}}, events));
    });
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    QSignalSpy received(&root, &MusubiRoot::eventReceived);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Live);
    QCOMPARE(received.count(), 2);
    QCOMPARE(received.at(0).at(0).toJsonArray(), QJsonArray());
    QCOMPARE(received.at(0).at(1).toString(), u"hello"_s);
    QCOMPARE(received.at(0).at(2).toJsonValue(), QJsonValue(1));
    QCOMPARE(received.at(1).at(1).toString(), u"bye"_s);
    QVERIFY(received.at(1).at(2).toJsonValue().isNull());
}

// The one unmount-then-mount an already_mounted answer earns lasts until the root is live
// again: an accepted mount whose initial patch never comes does not renew it.
void tst_RuntimeScripted::alreadyMountedLimitPerRecovery()
{
    PhoenixManualScheduler *clock = useManualClock();
    m_connection->setJoinTimeout(300);
    int mounts = 0;
    m_server->handler = [&](const PhoenixMessage &m) {
        if (m.event == "mount"_L1) {
            ++mounts;
            if (mounts == 2 || mounts == 4) {
                m_server->reply(m, u"error"_s,
                                {{u"reason"_s, u"already_mounted"_s}, {u"root_id"_s, RootId}});
                return;
            }
            m_server->reply(m, u"ok"_s, {{u"root_id"_s, RootId}});
            if (mounts == 1) // the third mount gets no initial patch
                m_server->push(m.topic, u"patch"_s, envelope(RootId, 0, {{u"n"_s, 1}}));
        } else if (m.event == "unmount"_L1) {
            m_server->reply(m, u"ok"_s, {});
        }
    };
    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Live);
    m_server->push(u"musubi:connection"_s, u"patch"_s, envelope(RootId, 4, {{u"n"_s, 9}}));
    QTRY_COMPARE(mounts, 3);
    QVERIFY(clientCaughtUp(u"musubi:connection"_s));
    QCOMPARE(root.status(), MusubiRoot::Status::Reconnecting);
    clock->advance(300); // no initial patch: the recovery starts over, and is refused again
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Failed);
    QCOMPARE(root.errorString(), u"Root mount failed: already_mounted"_s);
    QCOMPARE(mounts, 4);
    QCOMPARE(root.store()->value(u"n"_s).toInt(), 1); // the last good state stays readable
}

void tst_RuntimeScripted::refusedJoinLeavesItsTopic_data()
{
    QTest::addColumn<MusubiConnection::Protocol>("protocol");
    QTest::newRow("per-root") << MusubiConnection::Protocol::PerRootChannel;
    QTest::newRow("auto") << MusubiConnection::Protocol::Auto;
}

// A refused Profile R mount: one phx_leave on its topic right after the refusal (stamped with
// the refused join's join_ref, as upstream's clients do), and no rejoin along the whole ladder.
void tst_RuntimeScripted::refusedJoinLeavesItsTopic()
{
    QFETCH(MusubiConnection::Protocol, protocol);
    PhoenixManualScheduler *clock = useManualClock();
    m_connection->setProtocol(protocol);
    const QString topic = u"musubi:connection:"_s + RootId;
    const QJsonObject refusal{{u"reason"_s, u"unknown root"_s}};
    m_server->joinReplies.insert(u"musubi:connection"_s,
                                 {u"error"_s, {{u"reason"_s, u"unauthorized"_s}}});
    m_server->joinReplies.insert(topic, {u"error"_s, refusal});
    auto onTopic = [&](const QString &name) {
        QList<PhoenixMessage> out;
        for (const PhoenixMessage &m : std::as_const(m_server->received)) {
            if (m.topic == name)
                out.append(m);
        }
        return out;
    };

    MusubiRoot root(m_connection.get(), Module, u"c1"_s);
    QSignalSpy errors(&root, &MusubiRoot::errorOccurred);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Failed);
    QCOMPARE(root.errorString(), u"Root mount failed: unknown root"_s);
    QCOMPARE(root.errorReply(), QJsonValue(refusal));
    QCOMPARE(errors.count(), 1);
    QTRY_COMPARE(onTopic(topic).size(), 2);
    QCOMPARE(onTopic(topic).at(0).event, u"phx_join"_s);
    QCOMPARE(onTopic(topic).at(1).event, u"phx_leave"_s);
    QCOMPARE(onTopic(topic).at(1).joinRef, onTopic(topic).at(0).ref);
    QCOMPARE(onTopic(topic).at(1).payload, QJsonValue(QJsonObject()));

    // The whole rejoin ladder passes; then a join on another topic goes out on the same
    // socket, behind anything the ladder could have sent.
    clock->advance(10 * 60 * 1000);
    const QString otherTopic = u"musubi:connection:"_s + Module + u":c2"_s;
    MusubiRoot other(m_connection.get(), Module, u"c2"_s);
    other.mount();
    QTRY_COMPARE(onTopic(otherTopic).size(), 1);
    QCOMPARE(onTopic(topic).size(), 2);
    QCOMPARE(root.status(), MusubiRoot::Status::Failed);
    // Nothing else on the socket changed.
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Connected);
    QCOMPARE(m_connection->activeProtocol(), MusubiConnection::Protocol::PerRootChannel);
    QCOMPARE(errors.count(), 1);
}

QTEST_GUILESS_MAIN(tst_RuntimeScripted)
#include "tst_runtimescripted.moc"
