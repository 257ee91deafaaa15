// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "rawphoenixclient.h"
#include "teststores.h"

#include <musubitestserver.h>

#include <QtCore/QJsonDocument>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonValue json(const char *text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text));
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

const QString kCartTopic = u"musubi:connection:Test.CartStore:c1"_s;
const QString kCartRootId = u"Test.CartStore:c1"_s;
const QString kShared = u"musubi:connection"_s;

bool isPatch(const PhoenixMessage &m)
{
    return m.event == u"patch"_s;
}

QJsonObject envelopeOf(const PhoenixMessage &m)
{
    return m.payload.toObject();
}

//! The envelope of the next patch; empty if none comes (no envelope is empty).
QJsonObject nextEnvelope(RawPhoenixClient &client)
{
    const auto m = client.next(isPatch);
    return m ? envelopeOf(*m) : QJsonObject();
}

//! The next message as "<event> join_ref <join_ref>"; empty if none comes.
QString nextEvent(RawPhoenixClient &client)
{
    const auto m = client.nextAny();
    return m ? m->event + u" join_ref "_s + m->joinRef : QString();
}

//! The status of the next message if it is the reply to \a ref; else what came instead.
QString nextReplyStatus(RawPhoenixClient &client, const QString &ref)
{
    const auto m = client.nextAny();
    if (!m)
        return u"nothing"_s;
    if (m->event != u"phx_reply"_s || m->ref != ref)
        return m->event + u" ref "_s + m->ref;
    return RawPhoenixClient::status(*m);
}

//! Pushes a "command" with the JSON \a payload on the cart's channel; returns its ref.
QString sendCommand(RawPhoenixClient &client, const QString &joinRef, const char *payload)
{
    return client.send(joinRef, kCartTopic, u"command"_s, json(payload));
}

//! Mounts Test.Counter:\a id over the shared channel \a join; true once the server replied.
bool mountCounter(RawPhoenixClient &client, const QString &join, const QString &id)
{
    return client
            .replyTo(client.send(join, kShared, u"mount"_s,
                                 QJsonObject{{u"module"_s, u"Test.Counter"_s}, {u"id"_s, id}}))
            .has_value();
}

} // namespace

class tst_MusubiTestServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    // transport
    void listensOnLoopback();
    void refusesBadHandshake_data();
    void refusesBadHandshake();
    void refusesWithChosenStatus_data();
    void refusesWithChosenStatus();
    void authenticatorSeesConnectParams();
    void heartbeat();
    void unmatchedTopic();
    void leaveOfUnknownTopicIsAcknowledged();
    void staleJoinRefIsUnmatched();
    void binaryPushIsDecoded();
    void undecodableFrameIsDropped();

    // profile R
    void perRootMountCommandLeave();
    void duplicateJoinClosesOldChannel();
    // profile S
    void sharedMountCommandUnmount();
    void sharedAlreadyMounted();
    void sharedDisconnectUnmountsEverything();
    void commandReplyPrecedesItsPatch_data();
    void commandReplyPrecedesItsPatch();
    void profileSwitch_data();
    void profileSwitch();

    // error replies
    void joinErrors_data();
    void joinErrors();
    void sharedErrors_data();
    void sharedErrors();
    void commandErrors_data();
    void commandErrors();
    void joinAuthenticator();
    void throwingHandlerCrashesChannel_data();
    void throwingHandlerCrashesChannel();
    void nonMapPayloadCrashesChannel();

    // render / diff / envelopes
    void initialEnvelope();
    void noChangeSendsNoEnvelope();
    void serverSideChangeIsPushed();
    void versionsAreGapless();
    void childStoresAndLists();
    void streamOpsOrder();
    void eventsOnly();
    void asyncValues();
    void uploadSkeleton();

    // fault injection
    void faultDropConnections();
    void faultDropAfterNextCommand();
    void faultHeartbeats();
    void faultSkipVersion();
    void faultSendEnvelope();
    void faultRawFrames();
    void faultDelayReply();
    void faultWithholdReply();
    void faultCloseChannel_data();
    void faultCloseChannel();

private:
    //! Opens a client and mounts Test.CartStore:c1 over Profile R; returns the join ref.
    QString mountCart(RawPhoenixClient &client, const QJsonObject &params = {});
    //! Opens a client and joins the shared channel (Profile S); returns the join ref.
    QString joinShared(RawPhoenixClient &client);

    MusubiTestServer *server = nullptr;
};

void tst_MusubiTestServer::init()
{
    server = new MusubiTestServer;
    registerTestStores(*server);
    QVERIFY(server->listen());
}

void tst_MusubiTestServer::cleanup()
{
    delete server;
    server = nullptr;
}

QString tst_MusubiTestServer::mountCart(RawPhoenixClient &client, const QJsonObject &params)
{
    if (client.socket.state() != QAbstractSocket::ConnectedState
        && !client.open(RawPhoenixClient::endpoint(server->url())))
        return {};
    const QString ref = client.join(kCartTopic,
                                    QJsonObject{{u"module"_s, u"Test.CartStore"_s},
                                                {u"id"_s, u"c1"_s},
                                                {u"params"_s, params}});
    const auto reply = client.replyTo(ref);
    if (!reply || RawPhoenixClient::status(*reply) != u"ok"_s)
        return {};
    if (!client.next(isPatch))
        return {};
    return ref;
}

QString tst_MusubiTestServer::joinShared(RawPhoenixClient &client)
{
    if (!client.open(RawPhoenixClient::endpoint(server->url())))
        return {};
    const QString join = client.join(kShared);
    return client.replyTo(join) ? join : QString();
}

// --- transport ------------------------------------------------------------

void tst_MusubiTestServer::listensOnLoopback()
{
    QVERIFY(server->isListening());
    QVERIFY(server->port() > 0);
    QCOMPARE(server->url(), QUrl(u"ws://127.0.0.1:%1/socket"_s.arg(server->port())));
    QSignalSpy connected(server, &MusubiTestServer::clientConnected);
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url(), {{u"token"_s, u"t 1"_s}})));
    QTRY_COMPARE(connected.size(), 1);
    QCOMPARE(connected.at(0).at(1).toMap(), (QVariantMap{{u"token"_s, u"t 1"_s}}));
    QCOMPARE(server->connectionCount(), 1);
    QSignalSpy gone(server, &MusubiTestServer::clientDisconnected);
    client.socket.close();
    QTRY_COMPARE(gone.size(), 1);
    QCOMPARE(server->connectionCount(), 0);
    server->close();
    QVERIFY(!server->isListening());
    QCOMPARE(server->port(), 0);
}

void tst_MusubiTestServer::refusesBadHandshake_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("missing vsn") << u"/socket/websocket"_s << QByteArray("403");
    QTest::newRow("vsn 1.0.0") << u"/socket/websocket?vsn=1.0.0"_s << QByteArray("403");
    QTest::newRow("wrong path") << u"/live/websocket?vsn=2.0.0"_s << QByteArray("404");
    QTest::newRow("refused by authenticator")
            << u"/socket/websocket?vsn=2.0.0&token=bad"_s << QByteArray("403");
}

void tst_MusubiTestServer::refusesBadHandshake()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, status);
    server->setAuthenticator([](const QVariantMap &params) {
        return params.value(u"token"_s).toString() != u"bad"_s;
    });
    QSignalSpy refused(server, &MusubiTestServer::clientRefused);
    QTcpSocket tcp;
    tcp.connectToHost(QHostAddress::LocalHost, quint16(server->port()));
    QVERIFY(tcp.waitForConnected(5000));
    tcp.write("GET " + path.toUtf8()
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray answer;
    QTRY_VERIFY((answer += tcp.readAll()).contains("\r\n\r\n"));
    QVERIFY2(answer.startsWith("HTTP/1.1 " + status), answer.constData());
    QTRY_COMPARE(refused.size(), 1);
    QCOMPARE(server->connectionCount(), 0);

    // The real client library sees a failed handshake too.
    RawPhoenixClient client;
    QVERIFY(!client.open(QUrl(u"ws://127.0.0.1:%1%2"_s.arg(server->port()).arg(path))));
}

void tst_MusubiTestServer::refusesWithChosenStatus_data()
{
    QTest::addColumn<QString>("requiredToken");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QByteArray>("status"); // empty: accepted
    QTest::newRow("required token missing")
            << u"t1"_s << QString() << QByteArray("401 Unauthorized");
    QTest::newRow("required token wrong") << u"t1"_s << u"t0"_s << QByteArray("401 Unauthorized");
    QTest::newRow("authenticator: 403")
            << QString() << u"forbidden"_s << QByteArray("403 Forbidden");
    QTest::newRow("authenticator: 503")
            << QString() << u"busy"_s << QByteArray("503 Service Unavailable");
    QTest::newRow("accepted by both") << u"t1"_s << u"t1"_s << QByteArray();
}

void tst_MusubiTestServer::refusesWithChosenStatus()
{
    QFETCH(QString, requiredToken);
    QFETCH(QString, token);
    QFETCH(QByteArray, status);
    server->setRequiredToken(requiredToken);
    QCOMPARE(server->requiredToken(), requiredToken);
    server->setConnectAuthenticator([](const QVariantMap &params) {
        const QString token = params.value(u"token"_s).toString();
        return token == u"forbidden"_s ? 403 : token == u"busy"_s ? 503 : 0;
    });
    QSignalSpy refused(server, &MusubiTestServer::clientRefusedWithStatus);
    QTcpSocket tcp;
    tcp.connectToHost(QHostAddress::LocalHost, quint16(server->port()));
    QVERIFY(tcp.waitForConnected(5000));
    const QByteArray query = token.isEmpty() ? QByteArray() : "&token=" + token.toUtf8();
    tcp.write("GET /socket/websocket?vsn=2.0.0" + query
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray answer;
    QTRY_VERIFY((answer += tcp.readAll()).contains("\r\n\r\n"));
    if (status.isEmpty()) {
        QVERIFY2(answer.startsWith("HTTP/1.1 101"), answer.constData());
        QCOMPARE(refused.size(), 0);
        return;
    }
    QVERIFY2(answer.startsWith("HTTP/1.1 " + status + "\r\n"), answer.constData());
    QTRY_COMPARE(refused.size(), 1);
    QCOMPARE(refused.at(0).at(1).toInt(), status.left(3).toInt());
    QCOMPARE(server->connectionCount(), 0);
}

void tst_MusubiTestServer::authenticatorSeesConnectParams()
{
    QVariantMap seen;
    server->setAuthenticator([&](const QVariantMap &params) {
        seen = params;
        return true;
    });
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(
            server->url(), {{u"token"_s, u"abc"_s}, {u"user"_s, u"ä/&"_s}})));
    QCOMPARE(seen, (QVariantMap{{u"token"_s, u"abc"_s}, {u"user"_s, u"ä/&"_s}}));
    QString mountedToken;
    connect(server, &MusubiTestServer::rootMounted, this,
            [&](const QString &, MusubiTestStore *root) {
                mountedToken = root->connectParams().value(u"token"_s).toString();
            });
    QVERIFY(!mountCart(client).isEmpty());
    QCOMPARE(mountedToken, u"abc"_s);
}

void tst_MusubiTestServer::heartbeat()
{
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    const QString ref = client.send(QString(), u"phoenix"_s, u"heartbeat"_s);
    const auto reply = client.replyTo(ref);
    QVERIFY(reply);
    QVERIFY(reply->joinRef.isNull());
    QCOMPARE(reply->topic, u"phoenix"_s);
    QCOMPARE(reply->payload, json(R"({"status":"ok","response":{}})"));
}

void tst_MusubiTestServer::unmatchedTopic()
{
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    const QString join = client.join(u"rooms:lobby"_s);
    auto reply = client.replyTo(join);
    QVERIFY(reply);
    QCOMPARE(reply->payload, json(R"({"status":"error","response":{"reason":"unmatched topic"}})"));
    const QString push = client.send(u"9"_s, u"rooms:lobby"_s, u"command"_s, QJsonObject());
    reply = client.replyTo(push);
    QVERIFY(reply);
    QCOMPARE(reply->payload, json(R"({"status":"error","response":{"reason":"unmatched topic"}})"));
}

void tst_MusubiTestServer::leaveOfUnknownTopicIsAcknowledged()
{
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    const auto reply = client.replyTo(client.send(u"5"_s, kCartTopic, u"phx_leave"_s));
    QVERIFY(reply);
    QCOMPARE(RawPhoenixClient::status(*reply), u"ok"_s);
}

void tst_MusubiTestServer::staleJoinRefIsUnmatched()
{
    RawPhoenixClient client;
    QVERIFY(!mountCart(client).isEmpty());
    const auto reply = client.replyTo(
            client.send(u"999"_s, kCartTopic, u"command"_s, QJsonObject{{u"name"_s, u"noop"_s}}));
    QVERIFY(reply);
    QCOMPARE(RawPhoenixClient::response(*reply),
             json(R"({"reason":"unmatched topic"})").toObject());
}

void tst_MusubiTestServer::binaryPushIsDecoded()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    QSignalSpy frames(server, &MusubiTestServer::binaryFrameReceived);
    QSignalSpy messages(server, &MusubiTestServer::messageReceived);
    PhoenixMessage m;
    m.joinRef = joinRef;
    m.ref = u"50"_s;
    m.topic = kCartTopic;
    m.event = u"chunk"_s;
    m.binaryPayload = QByteArray("\x00\x01\x02", 3);
    m.isBinary = true;
    client.socket.sendBinaryMessage(*PhoenixSerializer::encodeBinaryPush(m));
    QTRY_COMPARE(messages.size(), 1);
    QCOMPARE(frames.size(), 1);
    QCOMPARE(messages.at(0).at(0).toString(), kCartTopic);
    QCOMPARE(messages.at(0).at(1).toString(), u"chunk"_s);
    QCOMPARE(messages.at(0).at(2).value<QJsonValue>().toString(), u"AAEC"_s);
    // A binary payload is not a map: the Musubi channel crashes, as on a real server.
    const auto error =
            client.next([](const PhoenixMessage &x) { return x.event == u"phx_error"_s; });
    QVERIFY(error);
    QCOMPARE(error->joinRef, joinRef);
}

void tst_MusubiTestServer::undecodableFrameIsDropped()
{
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    QSignalSpy frames(server, &MusubiTestServer::textFrameReceived);
    client.socket.sendTextMessage(u"{\"not\":\"an array\"}"_s);
    client.socket.sendTextMessage(u"[1,2,3]"_s);
    QVERIFY(client.sync());
    QCOMPARE(frames.size(), 3);
    QVERIFY(client.inbox.isEmpty());
    QCOMPARE(server->connectionCount(), 1);
}

// --- profile R ------------------------------------------------------------

void tst_MusubiTestServer::perRootMountCommandLeave()
{
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    QSignalSpy mounted(server, &MusubiTestServer::rootMounted);
    QSignalSpy unmounted(server, &MusubiTestServer::rootUnmounted);
    QSignalSpy joined(server, &MusubiTestServer::channelJoined);
    QSignalSpy commands(server, &MusubiTestServer::commandReceived);
    const QString joinRef = client.join(
            kCartTopic, json(R"({"module":"Test.CartStore","id":"c1","params":{"title":"Mine"}})"));

    auto m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->event, u"phx_reply"_s);
    QCOMPARE(m->ref, joinRef);
    QCOMPARE(m->joinRef, joinRef);
    QCOMPARE(m->payload, json(R"({"status":"ok","response":{"root_id":"Test.CartStore:c1"}})"));
    m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->event, u"patch"_s);
    QCOMPARE(m->joinRef, joinRef);
    QVERIFY(m->ref.isNull());
    QCOMPARE(envelopeOf(*m).value(u"root_id"_s).toString(), kCartRootId);
    QCOMPARE(envelopeOf(*m)
                     .value(u"ops"_s)
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(u"value"_s)
                     .toObject()
                     .value(u"title"_s)
                     .toString(),
             u"Mine"_s);
    QCOMPARE(mounted.size(), 1);
    QCOMPARE(joined.size(), 1);
    QCOMPARE(server->mountedRootCount(), 1);
    QVERIFY(server->mountedRoot(kCartRootId));
    QCOMPARE(server->mountedRoot(kCartRootId)->mountParams(),
             json(R"({"title":"Mine"})").toObject());
    QCOMPARE(server->joinedTopics(), QStringList{kCartTopic});

    const QString cmd = sendCommand(client, joinRef,
                                    R"({"store_id":[],"name":"increment","payload":{"amount":2}})");
    m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->ref, cmd);
    QCOMPARE(m->payload, json(R"({"status":"ok","response":{}})"));
    m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->payload,
             json(R"({"type":"patch","root_id":"Test.CartStore:c1","base_version":1,"version":2,
        "ops":[{"op":"replace","path":"/count","value":2}],"stream_ops":[],"upload_ops":[],"events":[]})"));
    QCOMPARE(commands.size(), 1);
    QCOMPARE(commands.at(0).at(0).toString(), kCartRootId);
    QCOMPARE(commands.at(0).at(2).toString(), u"increment"_s);
    QCOMPARE(commands.at(0).at(3).toJsonObject(), json(R"({"amount":2})").toObject());

    const QString leave = client.send(joinRef, kCartTopic, u"phx_leave"_s);
    QCOMPARE(nextReplyStatus(client, leave), u"ok"_s);
    QCOMPARE(nextEvent(client), u"phx_close join_ref "_s + joinRef);
    QCOMPARE(unmounted.size(), 1);
    QCOMPARE(server->mountedRootCount(), 0);
    QVERIFY(server->joinedTopics().isEmpty());
}

void tst_MusubiTestServer::duplicateJoinClosesOldChannel()
{
    RawPhoenixClient client;
    const QString first = mountCart(client);
    QVERIFY(!first.isEmpty());
    QPointer<MusubiTestStore> oldRoot = server->mountedRoot(kCartRootId);
    const QString second =
            client.join(kCartTopic, json(R"({"module":"Test.CartStore","id":"c1"})"));
    QCOMPARE(nextEvent(client), u"phx_close join_ref "_s + first);
    QCOMPARE(nextReplyStatus(client, second), u"ok"_s);
    const auto m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->event, u"patch"_s);
    QCOMPARE(m->joinRef, second);
    QCOMPARE(envelopeOf(*m).value(u"version"_s).toInt(), 1);
    QCOMPARE(server->mountedRootCount(), 1);
    QTRY_VERIFY(oldRoot.isNull());
}

// --- profile S ------------------------------------------------------------

void tst_MusubiTestServer::sharedMountCommandUnmount()
{
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    const QString join = client.join(kShared);
    auto m = client.replyTo(join);
    QVERIFY(m);
    QCOMPARE(m->payload, json(R"({"status":"ok","response":{}})"));

    const QString mount =
            client.send(join, kShared, u"mount"_s,
                        json(R"({"module":"Test.Counter","id":"k","params":{"count":5}})"));
    m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->ref, mount);
    QCOMPARE(m->payload, json(R"({"status":"ok","response":{"root_id":"Test.Counter:k"}})"));
    m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->joinRef, join);
    QCOMPARE(m->payload,
             json(R"({"type":"patch","root_id":"Test.Counter:k","base_version":0,"version":1,
        "ops":[{"op":"replace","path":"","value":{"__musubi_store_id__":[],"count":5}}],
        "stream_ops":[],"upload_ops":[],"events":[]})"));

    // A second root on the same channel.
    QVERIFY(client.replyTo(client.send(join, kShared, u"mount"_s,
                                       json(R"({"module":"Test.CartStore","id":"c1"})"))));
    QVERIFY(client.next(isPatch));
    QCOMPARE(server->mountedRootCount(), 2);

    const QString cmd = client.send(
            join, kShared, u"command"_s,
            json(R"({"root_id":"Test.Counter:k","store_id":[],"name":"increment","payload":{}})"));
    QCOMPARE(nextReplyStatus(client, cmd), u"ok"_s);
    m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(envelopeOf(*m).value(u"root_id"_s).toString(), u"Test.Counter:k"_s);
    QCOMPARE(envelopeOf(*m).value(u"ops"_s),
             json(R"([{"op":"replace","path":"/count","value":6}])"));

    const QString unmount =
            client.send(join, kShared, u"unmount"_s, json(R"({"root_id":"Test.Counter:k"})"));
    m = client.replyTo(unmount);
    QVERIFY(m);
    QCOMPARE(m->payload, json(R"({"status":"ok","response":{}})"));
    QCOMPARE(server->mountedRootCount(), 1);
    m = client.replyTo(
            client.send(join, kShared, u"unmount"_s, json(R"({"root_id":"Test.Counter:k"})")));
    QVERIFY(m);
    QCOMPARE(m->payload, json(R"({"status":"error","response":{"reason":"unknown root"}})"));
}

void tst_MusubiTestServer::sharedAlreadyMounted()
{
    RawPhoenixClient client;
    const QString join = joinShared(client);
    QVERIFY(!join.isEmpty());
    QVERIFY(mountCounter(client, join, u"k"_s));
    QVERIFY(client.next(isPatch));
    const auto m = client.replyTo(
            client.send(join, kShared, u"mount"_s, json(R"({"module":"Test.Counter","id":"k"})")));
    QVERIFY(m);
    QCOMPARE(
            m->payload,
            json(R"({"status":"error","response":{"reason":"already_mounted","root_id":"Test.Counter:k"}})"));
    QCOMPARE(server->mountedRootCount(), 1);
}

void tst_MusubiTestServer::sharedDisconnectUnmountsEverything()
{
    RawPhoenixClient client;
    const QString join = joinShared(client);
    QVERIFY(!join.isEmpty());
    QVERIFY(mountCounter(client, join, u"a"_s));
    QVERIFY(mountCounter(client, join, u"b"_s));
    QTRY_COMPARE(server->mountedRootCount(), 2);
    QSignalSpy unmounted(server, &MusubiTestServer::rootUnmounted);
    client.socket.close();
    QTRY_COMPARE(unmounted.size(), 2);
    QCOMPARE(server->mountedRootCount(), 0);
}

void tst_MusubiTestServer::commandReplyPrecedesItsPatch_data()
{
    QTest::addColumn<bool>("shared");
    QTest::newRow("per-root") << false;
    QTest::newRow("shared") << true;
}

// As the real server does (docs/protocol.md §10.4): the reply to a command goes out first,
// then the patch rendering its effects, with the events the command pushed in that patch.
void tst_MusubiTestServer::commandReplyPrecedesItsPatch()
{
    QFETCH(bool, shared);
    RawPhoenixClient client;
    QString topic = kCartTopic;
    QString joinRef;
    QJsonObject command =
            json(R"({"store_id":["promo"],"name":"apply","payload":{"code":"S"}})").toObject();
    if (shared) {
        topic = kShared;
        joinRef = joinShared(client);
        QVERIFY(!joinRef.isEmpty());
        QVERIFY(client.replyTo(
                client.send(joinRef, kShared, u"mount"_s,
                            QJsonObject{{u"module"_s, u"Test.CartStore"_s}, {u"id"_s, u"c1"_s}})));
        QVERIFY(client.next(isPatch));
        command.insert(u"root_id"_s, kCartRootId);
    } else {
        joinRef = mountCart(client);
        QVERIFY(!joinRef.isEmpty());
    }
    QVERIFY(client.sync());
    QVERIFY(client.inbox.isEmpty());

    const QString ref = client.send(joinRef, topic, u"command"_s, command);
    auto m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->event, u"phx_reply"_s);
    QCOMPARE(m->ref, ref);
    QCOMPARE(m->payload, json(R"({"status":"ok","response":{}})"));
    m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->event, u"patch"_s);
    const QJsonObject envelope = envelopeOf(*m);
    QCOMPARE(envelope.value(u"version"_s).toInt(), 2);
    QCOMPARE(envelope.value(u"ops"_s),
             json(R"([{"op":"replace","path":"/promo/code","value":"S"}])"));
    QCOMPARE(envelope.value(u"events"_s),
             json(R"([{"store_id":["promo"],"name":"toast","payload":{"msg":"applied"}}])"));
    QVERIFY(client.sync());
    QVERIFY(client.inbox.isEmpty()); // nothing else: one reply, one patch
}

void tst_MusubiTestServer::profileSwitch_data()
{
    QTest::addColumn<MusubiTestServer::Profile>("profile");
    QTest::addColumn<bool>("sharedOk");
    QTest::addColumn<bool>("perRootOk");
    QTest::newRow("both") << MusubiTestServer::Profile::Both << true << true;
    QTest::newRow("shared only (0.4-0.11)") << MusubiTestServer::Profile::Shared << true << false;
    QTest::newRow("per-root only (0.12+)") << MusubiTestServer::Profile::PerRoot << false << true;
}

void tst_MusubiTestServer::profileSwitch()
{
    QFETCH(MusubiTestServer::Profile, profile);
    QFETCH(bool, sharedOk);
    QFETCH(bool, perRootOk);
    QSignalSpy changed(server, &MusubiTestServer::profileChanged);
    server->setProfile(profile);
    QCOMPARE(server->profile(), profile);
    QCOMPARE(changed.size(), profile == MusubiTestServer::Profile::Both ? 0 : 1);
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    auto m = client.replyTo(client.join(kShared));
    QVERIFY(m);
    QCOMPARE(m->payload,
             sharedOk ? json(R"({"status":"ok","response":{}})")
                      : json(R"({"status":"error","response":{"reason":"unauthorized"}})"));
    m = client.replyTo(client.join(kCartTopic, json(R"({"module":"Test.CartStore","id":"c1"})")));
    QVERIFY(m);
    QCOMPARE(m->payload,
             perRootOk ? json(R"({"status":"ok","response":{"root_id":"Test.CartStore:c1"}})")
                       : json(R"({"status":"error","response":{"reason":"unauthorized"}})"));
}

// --- error replies ----------------------------------------------------------

void tst_MusubiTestServer::joinErrors_data()
{
    QTest::addColumn<QString>("topic");
    QTest::addColumn<QJsonValue>("payload");
    QTest::addColumn<QJsonValue>("response");
    const QString t = u"musubi:connection:X:y"_s;
    QTest::newRow("module missing")
            << t << json(R"({"id":"y"})") << json(R"({"reason":"missing required field"})");
    QTest::newRow("module empty") << t << json(R"({"module":"","id":"y"})")
                                  << json(R"({"reason":"missing required field"})");
    QTest::newRow("id missing") << t << json(R"({"module":"Test.Counter"})")
                                << json(R"({"reason":"missing root id"})");
    QTest::newRow("id empty") << t << json(R"({"module":"Test.Counter","id":""})")
                              << json(R"({"reason":"missing root id"})");
    QTest::newRow("params not a map")
            << t << json(R"({"module":"Test.Counter","id":"y","params":[1]})")
            << json(R"({"reason":"params must be a map"})");
    QTest::newRow("unknown root") << t << json(R"({"module":"Nope.Store","id":"y"})")
                                  << json(R"({"reason":"unknown root"})");
    QTest::newRow("factory refuses") << u"musubi:connection:Test.Counter:nope"_s
                                     << json(R"({"module":"Test.Counter","id":"nope"})")
                                     << json(R"({"reason":"not_found"})");
    QTest::newRow("other musubi topic")
            << u"musubi:elsewhere"_s << json(R"({})") << json(R"({"reason":"unauthorized"})");
    QTest::newRow("upload sub-channel without a valid token")
            << u"musubi_upload:u_0001"_s << json(R"({"token":"x"})")
            << json(R"({"reason":"unauthorized"})");
    QTest::newRow("unmatched topic")
            << u"room:lobby"_s << json(R"({})") << json(R"({"reason":"unmatched topic"})");
}

void tst_MusubiTestServer::joinErrors()
{
    QFETCH(QString, topic);
    QFETCH(QJsonValue, payload);
    QFETCH(QJsonValue, response);
    QSignalSpy refused(server, &MusubiTestServer::channelJoinRefused);
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    const auto m = client.replyTo(client.join(topic, payload));
    QVERIFY(m);
    QCOMPARE(RawPhoenixClient::status(*m), u"error"_s);
    QCOMPARE(QJsonValue(RawPhoenixClient::response(*m)), response);
    QCOMPARE(refused.size(), 1);
    QCOMPARE(server->mountedRootCount(), 0);
    QVERIFY(server->joinedTopics().isEmpty());
}

void tst_MusubiTestServer::sharedErrors_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<QJsonValue>("payload");
    QTest::addColumn<QJsonValue>("response");
    QTest::newRow("mount: module missing") << u"mount"_s << json(R"({"id":"a"})")
                                           << json(R"({"reason":"missing required field"})");
    QTest::newRow("mount: id missing") << u"mount"_s << json(R"({"module":"Test.Counter"})")
                                       << json(R"({"reason":"missing root id"})");
    QTest::newRow("mount: params not a map")
            << u"mount"_s << json(R"({"module":"Test.Counter","id":"a","params":"x"})")
            << json(R"({"reason":"params must be a map"})");
    QTest::newRow("mount: unknown root") << u"mount"_s << json(R"({"module":"Nope","id":"a"})")
                                         << json(R"({"reason":"unknown root"})");
    QTest::newRow("unmount: root_id missing")
            << u"unmount"_s << json(R"({})") << json(R"({"reason":"missing required field"})");
    QTest::newRow("unmount: unknown root")
            << u"unmount"_s << json(R"({"root_id":"Test.Counter:zz"})")
            << json(R"({"reason":"unknown root"})");
    QTest::newRow("command: root_id missing")
            << u"command"_s << json(R"({"store_id":[],"name":"increment"})")
            << json(R"({"reason":"missing required field"})");
    QTest::newRow("command: unknown root")
            << u"command"_s
            << json(R"({"root_id":"Test.Counter:zz","store_id":[],"name":"increment"})")
            << json(R"({"reason":"unknown root"})");
    QTest::newRow("command: unknown command")
            << u"command"_s
            << json(R"({"root_id":"Test.Counter:a","store_id":[],"name":"explode"})")
            << json(R"({"reason":"unknown command"})");
    QTest::newRow("command: unknown store")
            << u"command"_s
            << json(R"({"root_id":"Test.Counter:a","store_id":["x"],"name":"increment"})")
            << json(R"({"reason":"unknown store"})");
}

void tst_MusubiTestServer::sharedErrors()
{
    QFETCH(QString, event);
    QFETCH(QJsonValue, payload);
    QFETCH(QJsonValue, response);
    RawPhoenixClient client;
    const QString join = joinShared(client);
    QVERIFY(!join.isEmpty());
    QVERIFY(mountCounter(client, join, u"a"_s));
    QVERIFY(client.next(isPatch));
    const auto m = client.replyTo(client.send(join, kShared, event, payload));
    QVERIFY(m);
    QCOMPARE(RawPhoenixClient::status(*m), u"error"_s);
    QCOMPARE(QJsonValue(RawPhoenixClient::response(*m)), response);
    // A failing push never stops a root or the channel.
    QCOMPARE(server->mountedRootCount(), 1);
    QCOMPARE(server->joinedTopics(), QStringList{kShared});
}

void tst_MusubiTestServer::commandErrors_data()
{
    QTest::addColumn<QJsonValue>("payload");
    QTest::addColumn<QJsonValue>("reply");
    QTest::newRow("name missing")
            << json(R"({"store_id":[]})")
            << json(R"({"status":"error","response":{"reason":"missing required field"}})");
    QTest::newRow("name empty")
            << json(R"({"store_id":[],"name":""})")
            << json(R"({"status":"error","response":{"reason":"missing required field"}})");
    QTest::newRow("unknown command")
            << json(R"({"store_id":[],"name":"explode"})")
            << json(R"({"status":"error","response":{"reason":"unknown command"}})");
    QTest::newRow("unknown store")
            << json(R"({"store_id":["ghost"],"name":"apply"})")
            << json(R"({"status":"error","response":{"reason":"unknown store"}})");
    QTest::newRow("unknown command on child")
            << json(R"({"store_id":["promo"],"name":"increment"})")
            << json(R"({"status":"error","response":{"reason":"unknown command"}})");
    QTest::newRow("handler error reason")
            << json(R"({"store_id":[],"name":"fail"})")
            << json(R"({"status":"error","response":{"reason":"nope"}})");
    QTest::newRow("handler reply object")
            << json(R"({"store_id":[],"name":"echo","payload":{"a":[1]}})")
            << json(R"({"status":"ok","response":{"a":[1]}})");
    QTest::newRow("noreply is {}")
            << json(R"({"store_id":[],"name":"noop"})") << json(R"({"status":"ok","response":{}})");
    QTest::newRow("store_id missing means root")
            << json(R"({"name":"noop"})") << json(R"({"status":"ok","response":{}})");
}

void tst_MusubiTestServer::commandErrors()
{
    QFETCH(QJsonValue, payload);
    QFETCH(QJsonValue, reply);
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    const auto m = client.replyTo(client.send(joinRef, kCartTopic, u"command"_s, payload));
    QVERIFY(m);
    QCOMPARE(m->payload, reply);
    QCOMPARE(server->mountedRootCount(), 1);
}

void tst_MusubiTestServer::joinAuthenticator()
{
    server->setJoinAuthenticator(
            [](const QString &topic, const QJsonObject &, const QVariantMap &params) {
                return topic != kShared && params.value(u"token"_s) == u"ok"_s;
            });
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url(), {{u"token"_s, u"ok"_s}})));
    auto m = client.replyTo(client.join(kShared));
    QVERIFY(m);
    QCOMPARE(m->payload, json(R"({"status":"error","response":{"reason":"unauthorized"}})"));
    m = client.replyTo(client.join(kCartTopic, json(R"({"module":"Test.CartStore","id":"c1"})")));
    QVERIFY(m);
    QCOMPARE(RawPhoenixClient::status(*m), u"ok"_s);

    RawPhoenixClient other;
    QVERIFY(other.open(RawPhoenixClient::endpoint(server->url(), {{u"token"_s, u"no"_s}})));
    m = other.replyTo(other.join(kCartTopic, json(R"({"module":"Test.CartStore","id":"c1"})")));
    QVERIFY(m);
    QCOMPARE(m->payload, json(R"({"status":"error","response":{"reason":"unauthorized"}})"));
}

void tst_MusubiTestServer::throwingHandlerCrashesChannel_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("C++ exception") << u"throw"_s;
    QTest::newRow("MusubiTestReply::crash") << u"crash"_s;
}

void tst_MusubiTestServer::throwingHandlerCrashesChannel()
{
    QFETCH(QString, command);
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    QSignalSpy unmounted(server, &MusubiTestServer::rootUnmounted);
    const QString ref =
            client.send(joinRef, kCartTopic, u"command"_s, QJsonObject{{u"name"_s, command}});
    const auto m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->event, u"phx_error"_s);
    QCOMPARE(m->joinRef, joinRef);
    QCOMPARE(m->topic, kCartTopic);
    QCOMPARE(unmounted.size(), 1);
    QCOMPARE(server->mountedRootCount(), 0);
    QVERIFY(client.sync());
    QVERIFY(std::none_of(client.inbox.begin(), client.inbox.end(),
                         [&](const PhoenixMessage &x) { return x.ref == ref; }));
    // The socket survives; a rejoin mounts a fresh root at version 1.
    QVERIFY(!mountCart(client).isEmpty());
    QCOMPARE(server->rootVersion(kCartRootId), 1);
}

void tst_MusubiTestServer::nonMapPayloadCrashesChannel()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    client.send(joinRef, kCartTopic, u"command"_s, QJsonArray{1, 2});
    const auto m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->event, u"phx_error"_s);
    QCOMPARE(server->mountedRootCount(), 0);
}

// --- render / diff / envelopes ------------------------------------------------

void tst_MusubiTestServer::initialEnvelope()
{
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    QVERIFY(client.replyTo(
            client.join(kCartTopic, json(R"({"module":"Test.CartStore","id":"c1"})"))));
    const auto m = client.next(isPatch);
    QVERIFY(m);
    QCOMPARE(m->payload,
             json(R"({"type":"patch","root_id":"Test.CartStore:c1","base_version":0,"version":1,
      "ops":[{"op":"replace","path":"","value":{
        "__musubi_store_id__":[],"title":"Cart","count":0,
        "stats":{"__musubi_async__":true,"status":"loading","result":null,"reason":null},
        "lines":{"__musubi_stream__":"lines"},
        "promo":{"__musubi_store_id__":["promo"],"code":null},
        "items":[],
        "receipt":{"__musubi_upload__":"receipt"}}}],
      "stream_ops":[{"op":"insert","stream":"lines","ref":"0","store_id":[],"item_key":"line-a","at":-1,"item":{"sku":"a"},"limit":null}],
      "upload_ops":[{"op":"config","upload":"receipt","store_id":[],"config":{"accept":[".png"],"max_entries":2,"max_file_size":1000,"chunk_size":100}}],
      "events":[]})"));
    QCOMPARE(server->rootVersion(kCartRootId), 1);
    QCOMPARE(QJsonValue(server->wireTree(kCartRootId)),
             m->payload.toObject().value(u"ops"_s).toArray().at(0).toObject().value(u"value"_s));
}

void tst_MusubiTestServer::noChangeSendsNoEnvelope()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    QSignalSpy sent(server, &MusubiTestServer::envelopeSent);
    QVERIFY(client.replyTo(sendCommand(client, joinRef, R"({"name":"noop"})")));
    // Setting a value to what it already is and a bare re-render change nothing either.
    MusubiTestStore *root = server->mountedRoot(kCartRootId);
    root->setValue(u"count"_s, 0);
    root->invalidate();
    server->flush();
    QVERIFY(client.sync());
    QVERIFY(client.inbox.isEmpty());
    QCOMPARE(sent.size(), 0);
    QCOMPARE(server->rootVersion(kCartRootId), 1);
}

void tst_MusubiTestServer::serverSideChangeIsPushed()
{
    RawPhoenixClient client;
    QVERIFY(!mountCart(client).isEmpty());
    MusubiTestStore *root = server->mountedRoot(kCartRootId);
    QVERIFY(root);
    root->setValue(u"title"_s, u"Renamed"_s);
    root->setValue(u"extra"_s, true);
    const QJsonObject envelope = nextEnvelope(client); // scheduled, coalesced into one envelope
    QCOMPARE(
            envelope.value(u"ops"_s),
            json(R"([{"op":"add","path":"/extra","value":true},{"op":"replace","path":"/title","value":"Renamed"}])"));
    QCOMPARE(envelope.value(u"version"_s).toInt(), 2);
    root->removeValue(u"extra"_s);
    QCOMPARE(nextEnvelope(client).value(u"ops"_s), json(R"([{"op":"remove","path":"/extra"}])"));
}

void tst_MusubiTestServer::versionsAreGapless()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    int expected = 1;
    for (int i = 0; i < 5; ++i) {
        sendCommand(client, joinRef, R"({"name":"increment"})");
        sendCommand(client, joinRef, R"({"name":"noop"})");
        sendCommand(client, joinRef, R"({"name":"toast","payload":{}})");
        for (int k = 0; k < 2; ++k) {
            const QJsonObject envelope = nextEnvelope(client);
            QVERIFY(!envelope.isEmpty());
            QCOMPARE(envelope.value(u"base_version"_s).toInt(), expected);
            QCOMPARE(envelope.value(u"version"_s).toInt(), expected + 1);
            ++expected;
        }
    }
    QCOMPARE(server->rootVersion(kCartRootId), 11);
}

void tst_MusubiTestServer::childStoresAndLists()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    auto command = [&](const char *payload) {
        const auto reply = client.replyTo(sendCommand(client, joinRef, payload));
        return reply ? RawPhoenixClient::status(*reply) : QString();
    };
    QCOMPARE(command(R"({"name":"addItem","payload":{"key":"a","title":"A"}})"), u"ok"_s);
    QCOMPARE(
            nextEnvelope(client).value(u"ops"_s),
            json(R"([{"op":"add","path":"/items/0","value":{"__musubi_store_id__":["items","a"],"title":"A","done":false}}])"));
    QCOMPARE(command(R"({"name":"addItem","payload":{"key":"b","title":"B"}})"), u"ok"_s);
    QVERIFY(client.next(isPatch));

    // Commands reach list children by their server-authored id.
    QCOMPARE(command(R"({"store_id":["items","b"],"name":"toggle"})"), u"ok"_s);
    QCOMPARE(nextEnvelope(client).value(u"ops"_s),
             json(R"([{"op":"replace","path":"/items/1/done","value":true}])"));

    QCOMPARE(command(R"({"store_id":["promo"],"name":"apply","payload":{"code":"SPRING"}})"),
             u"ok"_s);
    const QJsonObject applied = nextEnvelope(client);
    QCOMPARE(applied.value(u"ops"_s),
             json(R"([{"op":"replace","path":"/promo/code","value":"SPRING"}])"));
    QCOMPARE(applied.value(u"events"_s),
             json(R"([{"store_id":["promo"],"name":"toast","payload":{"msg":"applied"}}])"));

    // Removing the first child shifts by index (per-index replace + remove).
    QCOMPARE(command(R"({"name":"removeItem","payload":{"key":"a"}})"), u"ok"_s);
    QCOMPARE(nextEnvelope(client).value(u"ops"_s), json(R"([
        {"op":"replace","path":"/items/0/__musubi_store_id__/1","value":"b"},
        {"op":"replace","path":"/items/0/done","value":true},
        {"op":"replace","path":"/items/0/title","value":"B"},
        {"op":"remove","path":"/items/1"}])"));
    // A vanished child is no longer addressable.
    const auto reply = client.replyTo(
            sendCommand(client, joinRef, R"({"store_id":["items","a"],"name":"toggle"})"));
    QVERIFY(reply);
    QCOMPARE(RawPhoenixClient::response(*reply), json(R"({"reason":"unknown store"})").toObject());
}

void tst_MusubiTestServer::streamOpsOrder()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    sendCommand(client, joinRef, R"({"name":"addLine","payload":{"key":"k","at":0,"limit":-3}})");
    const QJsonObject inserted = nextEnvelope(client);
    QCOMPARE(inserted.value(u"ops"_s), json("[]"));
    QCOMPARE(
            inserted.value(u"stream_ops"_s),
            json(R"([{"op":"insert","stream":"lines","ref":"0","store_id":[],"item_key":"k","at":0,"item":{"key":"k","at":0,"limit":-3},"limit":-3}])"));
    sendCommand(client, joinRef, R"({"name":"churnLines"})");
    QCOMPARE(nextEnvelope(client).value(u"stream_ops"_s), json(R"([
        {"op":"reset","stream":"lines","ref":"0","store_id":[]},
        {"op":"insert","stream":"lines","ref":"0","store_id":[],"item_key":"z","at":0,"item":{"n":1},"limit":-5},
        {"op":"delete","stream":"lines","ref":"0","store_id":[],"item_key":"y"}])"));
}

void tst_MusubiTestServer::eventsOnly()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    sendCommand(client, joinRef, R"({"name":"toast","payload":{"msg":"hi"}})");
    QCOMPARE(QJsonValue(nextEnvelope(client)),
             json(R"({"type":"patch","root_id":"Test.CartStore:c1","base_version":1,"version":2,
        "ops":[],"stream_ops":[],"upload_ops":[],"events":[{"store_id":[],"name":"toast","payload":{"msg":"hi"}}]})"));
}

void tst_MusubiTestServer::asyncValues()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    sendCommand(client, joinRef, R"({"name":"load","payload":{"status":"ok","result":{"n":3}}})");
    QCOMPARE(
            nextEnvelope(client).value(u"ops"_s),
            json(R"([{"op":"replace","path":"/stats/result","value":{"n":3}},{"op":"replace","path":"/stats/status","value":"ok"}])"));
    sendCommand(client, joinRef, R"({"name":"load","payload":{"status":"loading"}})");
    QCOMPARE(nextEnvelope(client).value(u"ops"_s),
             json(R"([{"op":"replace","path":"/stats/status","value":"loading"}])"));
    sendCommand(client, joinRef, R"({"name":"load","payload":{"status":"failed"}})");
    QCOMPARE(
            nextEnvelope(client).value(u"ops"_s),
            json(R"([{"op":"replace","path":"/stats/reason","value":{"kind":"error","value":"nope"}},
        {"op":"replace","path":"/stats/result","value":null},{"op":"replace","path":"/stats/status","value":"failed"}])"));
}

void tst_MusubiTestServer::uploadSkeleton()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    auto m = client.replyTo(
            client.send(joinRef, kCartTopic, u"allow_upload"_s,
                        json(R"({"store_id":["ghost"],"name":"receipt","entries":[]})")));
    QVERIFY(m);
    QCOMPARE(RawPhoenixClient::response(*m), json(R"({"reason":"unknown store"})").toObject());
    m = client.replyTo(client.send(joinRef, kCartTopic, u"allow_upload"_s,
                                   json(R"({"store_id":[],"name":"avatar","entries":[]})")));
    QVERIFY(m);
    QCOMPARE(RawPhoenixClient::response(*m), json(R"({"reason":"unknown upload"})").toObject());
    m = client.replyTo(
            client.send(joinRef, kCartTopic, u"allow_upload"_s, json(R"({"store_id":[]})")));
    QVERIFY(m);
    QCOMPARE(RawPhoenixClient::response(*m),
             json(R"({"reason":"missing required field"})").toObject());
    // Preflight: accepted entries get a ref and a token, rejected ones an error; add ops follow the
    // reply.
    const QString preflight = client.send(joinRef, kCartTopic, u"allow_upload"_s,
                                          json(R"({"store_id":[],"name":"receipt","entries":[
        {"client_ref":"0","name":"a.png","size":500,"type":"image/png"},
        {"client_ref":"1","name":"b.jpg","size":10,"type":"image/jpeg"},
        {"client_ref":"2","name":"c.PNG","size":5000,"type":"image/png"},
        {"client_ref":"3","name":"d.png","size":10,"type":"image/png"},
        {"client_ref":"4","name":"e.png","size":10,"type":"image/png"}]})"));
    m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->ref, preflight);
    QCOMPARE(RawPhoenixClient::status(*m), u"ok"_s);
    QJsonObject response = RawPhoenixClient::response(*m);
    QCOMPARE(response.value(u"ref"_s).toString(), u"receipt"_s);
    QCOMPARE(response.value(u"config"_s),
             json(R"({"accept":[".png"],"max_entries":2,"max_file_size":1000,"chunk_size":100})"));
    QCOMPARE(response.value(u"errors"_s), json(R"([
        {"client_ref":"1","error":{"code":"not_accepted","message":"file type is not accepted"}},
        {"client_ref":"2","error":{"code":"too_large","message":"file exceeds the maximum size"}},
        {"client_ref":"4","error":{"code":"too_many_files","message":"too many files"}}])"));
    const QJsonObject accepted = response.value(u"entries"_s).toObject();
    QCOMPARE(accepted.keys(), (QStringList{u"0"_s, u"3"_s}));
    QCOMPARE(accepted.value(u"0"_s).toObject().value(u"type"_s).toString(), u"channel"_s);
    QVERIFY(!accepted.value(u"0"_s).toObject().value(u"token"_s).toString().isEmpty());
    const QString entryRef = accepted.value(u"0"_s).toObject().value(u"entry_ref"_s).toString();
    QVERIFY(entryRef.startsWith(u"u_"_s));
    m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->event, u"patch"_s);
    const QJsonArray adds = envelopeOf(*m).value(u"upload_ops"_s).toArray();
    QCOMPARE(adds.size(), 2);
    QCOMPARE(adds.at(0).toObject().value(u"entry"_s).toObject(),
             QJsonObject({{u"ref"_s, entryRef},
                          {u"client_name"_s, u"a.png"_s},
                          {u"client_size"_s, 500},
                          {u"client_type"_s, u"image/png"_s},
                          {u"progress"_s, 0},
                          {u"status"_s, u"pending"_s},
                          {u"errors"_s, QJsonArray()}}));
    QCOMPARE(adds.at(0).toObject().value(u"op"_s).toString(), u"add"_s);
    QCOMPARE(adds.at(0).toObject().value(u"store_id"_s), QJsonValue(QJsonArray()));

    // Cancel deletes the entry with a cancel op; unknown refs are still ok.
    m = client.replyTo(client.send(joinRef, kCartTopic, u"cancel_upload"_s,
                                   QJsonObject{{u"store_id"_s, QJsonArray()},
                                               {u"name"_s, u"receipt"_s},
                                               {u"ref"_s, entryRef}}));
    QVERIFY(m);
    QCOMPARE(RawPhoenixClient::status(*m), u"ok"_s);
    QCOMPARE(nextEnvelope(client).value(u"upload_ops"_s).toArray().at(0).toObject(),
             QJsonObject({{u"op"_s, u"cancel"_s},
                          {u"upload"_s, u"receipt"_s},
                          {u"ref"_s, entryRef},
                          {u"store_id"_s, QJsonArray()}}));
    m = client.replyTo(client.send(joinRef, kCartTopic, u"cancel_upload"_s,
                                   json(R"({"store_id":[],"name":"receipt","ref":"u_9999"})")));
    QVERIFY(m);
    QCOMPARE(RawPhoenixClient::status(*m), u"ok"_s);

    MusubiTestStore *root = server->mountedRoot(kCartRootId);
    QCOMPARE(root->uploadNames(), QStringList{u"receipt"_s});
    QCOMPARE(root->uploadConfig(u"receipt"_s).maxEntries, 2);
    root->queueUploadOp(QJsonObject{{u"op"_s, u"reset"_s}, {u"upload"_s, u"receipt"_s}});
    QCOMPARE(nextEnvelope(client).value(u"upload_ops"_s),
             json(R"([{"op":"reset","upload":"receipt","store_id":[]}])"));
}

// --- fault injection ----------------------------------------------------------

void tst_MusubiTestServer::faultDropConnections()
{
    RawPhoenixClient client;
    QVERIFY(!mountCart(client).isEmpty());
    QSignalSpy unmounted(server, &MusubiTestServer::rootUnmounted);
    server->dropConnections();
    QCOMPARE(server->connectionCount(), 0);
    QCOMPARE(server->mountedRootCount(), 0);
    QCOMPARE(unmounted.size(), 1);
    QTRY_VERIFY(client.disconnected);
    // The server keeps listening.
    RawPhoenixClient again;
    QVERIFY(!mountCart(again).isEmpty());
}

void tst_MusubiTestServer::faultDropAfterNextCommand()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    server->dropAfterNextCommand();
    const QString ref = sendCommand(client, joinRef, R"({"name":"increment"})");
    QTRY_VERIFY(client.disconnected);
    const auto reply = client.replyTo(ref, 0);
    QVERIFY(reply);
    QCOMPARE(RawPhoenixClient::status(*reply), u"ok"_s);
    QVERIFY(!client.next(isPatch, 0));
    QCOMPARE(server->mountedRootCount(), 0);
}

void tst_MusubiTestServer::faultHeartbeats()
{
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    QSignalSpy changed(server, &MusubiTestServer::answersHeartbeatsChanged);
    server->setAnswersHeartbeats(false);
    QCOMPARE(changed.size(), 1);
    const QString hb = client.send(QString(), u"phoenix"_s, u"heartbeat"_s);
    // An unjoined push is answered at once; the heartbeat before it never is.
    QVERIFY(client.replyTo(client.send(u"1"_s, u"x"_s, u"y"_s)));
    QVERIFY(std::none_of(client.seen.begin(), client.seen.end(),
                         [&](const PhoenixMessage &m) { return m.ref == hb; }));
    server->setAnswersHeartbeats(true);
    QVERIFY(client.sync());
}

void tst_MusubiTestServer::faultSkipVersion()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    server->skipNextVersion();
    sendCommand(client, joinRef, R"({"name":"increment"})");
    const QJsonObject skipped = nextEnvelope(client);
    QVERIFY(!skipped.isEmpty());
    QCOMPARE(skipped.value(u"base_version"_s).toInt(), 2);
    QCOMPARE(skipped.value(u"version"_s).toInt(), 3);
    sendCommand(client, joinRef, R"({"name":"increment"})");
    const QJsonObject next = nextEnvelope(client);
    QVERIFY(!next.isEmpty());
    QCOMPARE(next.value(u"base_version"_s).toInt(), 3);
}

void tst_MusubiTestServer::faultSendEnvelope()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    const QJsonObject bogus{{u"type"_s, u"patch"_s},
                            {u"ops"_s, json(R"([{"op":"move","from":"/a","path":"/b"}])")}};
    QVERIFY(server->sendEnvelope(kCartRootId, bogus));
    QVERIFY(!server->sendEnvelope(u"Nope:x"_s, bogus));
    const auto m = client.next(isPatch);
    QVERIFY(m);
    QCOMPARE(m->joinRef, joinRef);
    QCOMPARE(m->topic, kCartTopic);
    QCOMPARE(m->payload.toObject(), bogus);
    QCOMPARE(server->rootVersion(kCartRootId), 1);
}

void tst_MusubiTestServer::faultRawFrames()
{
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    server->sendRawText("not json at all");
    server->sendRawBinary(QByteArray("\x02\x00\x01", 3));
    QTRY_COMPARE(client.badFrames.size(), 1);
    QCOMPARE(client.badFrames.at(0), QByteArray("not json at all"));
    QTRY_COMPARE(client.binaryFrames.size(), 1);
    QCOMPARE(client.binaryFrames.at(0), QByteArray("\x02\x00\x01", 3));
}

void tst_MusubiTestServer::faultDelayReply()
{
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    server->delayNextReply(300, u"command"_s);
    QElapsedTimer timer;
    timer.start();
    const QString ref = sendCommand(client, joinRef, R"({"name":"increment"})");
    // The heartbeat (another topic) overtakes the delayed reply.
    QVERIFY(client.sync());
    QVERIFY(client.inbox.isEmpty());
    auto m = client.nextAny();
    QVERIFY(m);
    QVERIFY(timer.elapsed() >= 250);
    QCOMPARE(m->ref, ref);
    m = client.nextAny();
    QVERIFY(m);
    QCOMPARE(m->event, u"patch"_s); // still after its reply
    // One-shot: the next reply is immediate.
    QVERIFY(client.replyTo(sendCommand(client, joinRef, R"({"name":"noop"})"), 200));
}

void tst_MusubiTestServer::faultWithholdReply()
{
    RawPhoenixClient client;
    QVERIFY(client.open(RawPhoenixClient::endpoint(server->url())));
    server->withholdNextReply(u"phx_join"_s);
    const QString ref = client.join(kCartTopic, json(R"({"module":"Test.CartStore","id":"c1"})"));
    const auto m = client.next(isPatch);
    QVERIFY(m); // the mount still happened
    QVERIFY(std::none_of(client.seen.begin(), client.seen.end(),
                         [&](const PhoenixMessage &x) { return x.ref == ref; }));
    QCOMPARE(server->mountedRootCount(), 1);
    QVERIFY(client.replyTo(sendCommand(client, ref, R"({"name":"noop"})")));
}

void tst_MusubiTestServer::faultCloseChannel_data()
{
    QTest::addColumn<MusubiTestServer::ChannelEnd>("how");
    QTest::addColumn<QString>("event");
    QTest::newRow("phx_close") << MusubiTestServer::ChannelEnd::Close << u"phx_close"_s;
    QTest::newRow("phx_error") << MusubiTestServer::ChannelEnd::Error << u"phx_error"_s;
}

void tst_MusubiTestServer::faultCloseChannel()
{
    QFETCH(MusubiTestServer::ChannelEnd, how);
    QFETCH(QString, event);
    RawPhoenixClient client;
    const QString joinRef = mountCart(client);
    QVERIFY(!joinRef.isEmpty());
    QSignalSpy left(server, &MusubiTestServer::channelLeft);
    QVERIFY(server->closeChannel(kCartTopic, how));
    QVERIFY(!server->closeChannel(u"nope"_s, how));
    QCOMPARE(nextEvent(client), event + u" join_ref "_s + joinRef);
    QCOMPARE(left.size(), 1);
    QCOMPARE(server->mountedRootCount(), 0);
    const auto reply = client.replyTo(sendCommand(client, joinRef, R"({"name":"noop"})"));
    QVERIFY(reply);
    QCOMPARE(RawPhoenixClient::response(*reply),
             json(R"({"reason":"unmatched topic"})").toObject());
}

QTEST_GUILESS_MAIN(tst_MusubiTestServer)
#include "tst_musubitestserver.moc"
