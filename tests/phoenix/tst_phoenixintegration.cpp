// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixloopbackserver.h"

#include <phoenixchannel.h>
#include <phoenixpush.h>
#include <phoenixsocket.h>
#include <phoenixwebsockettransport.h>

#include <QtCore/QJsonArray>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QTcpServer>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using Status = PhoenixSocket::Status;
using State = PhoenixChannel::State;
using Result = PhoenixPush::Result;

class tst_PhoenixIntegration : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void connectJoinPushReply();
    void joinRefused();
    void serverInitiatedPush();
    void serverClosesSocketReconnectRejoin();
    void heartbeatOverTheWire();
    void unansweredHeartbeatReconnects();
    void binaryPush();
    void oversizedFrameRefused();
    void malformedFramesSurvived();
    void leaveOverTheWire();
    void connectionRefusedKeepsTrying();
    void webSocketTransportSignals();

private:
    PhoenixLoopbackServer *server = nullptr;
    PhoenixSocket *socket = nullptr;
};

void tst_PhoenixIntegration::initTestCase()
{
    qRegisterMetaType<PhoenixSocket::Status>();
    qRegisterMetaType<PhoenixChannel::State>();
    qRegisterMetaType<PhoenixPush::Result>();
}

void tst_PhoenixIntegration::init()
{
    server = new PhoenixLoopbackServer;
    QVERIFY(server->listen());
    socket = new PhoenixSocket;
    socket->setUrl(server->url());
}

void tst_PhoenixIntegration::cleanup()
{
    delete socket;
    socket = nullptr;
    delete server;
    server = nullptr;
}

void tst_PhoenixIntegration::connectJoinPushReply()
{
    socket->setParams({{u"token"_s, u"s3cr3t/="_s}});
    QSignalSpy opened(socket, &PhoenixSocket::opened);
    socket->connectToServer();
    QTRY_COMPARE(socket->status(), Status::Open);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(server->requestUrls.size(), 1);
    const QUrl requestUrl = server->requestUrls.at(0);
    QCOMPARE(requestUrl.path(), u"/socket/websocket"_s);
    const QUrlQuery query(requestUrl);
    QCOMPARE(query.queryItemValue(u"vsn"_s), u"2.0.0"_s);
    QCOMPARE(query.queryItemValue(u"token"_s, QUrl::FullyDecoded), u"s3cr3t/="_s);

    server->joinResponse = QJsonObject{{u"root_id"_s, u"Mod:1"_s}};
    PhoenixChannel *ch = socket->channel(u"room:1"_s, QJsonObject{{u"module"_s, u"Mod"_s}});
    QSignalSpy joined(ch, &PhoenixChannel::joined);
    ch->join();
    QTRY_COMPARE(ch->state(), State::Joined);
    QCOMPARE(joined.size(), 1);
    QCOMPARE(joined.at(0).at(0).toJsonValue().toObject().value(u"root_id"_s).toString(),
             u"Mod:1"_s);
    const QList<PhoenixMessage> joins = server->receivedEvents(u"phx_join"_s);
    QCOMPARE(joins.size(), 1);
    QCOMPARE(joins.at(0).joinRef, joins.at(0).ref);
    QCOMPARE(joins.at(0).payload, QJsonValue(QJsonObject{{u"module"_s, u"Mod"_s}}));

    PhoenixPush *push = ch->push(u"command"_s, QJsonObject{{u"name"_s, u"inc"_s}});
    QSignalSpy finished(push, &PhoenixPush::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.at(0).at(0).value<Result>(), Result::Ok);
    QCOMPARE(finished.at(0).at(1).toJsonValue(), QJsonValue(QJsonObject{{u"name"_s, u"inc"_s}}));
    const QList<PhoenixMessage> commands = server->receivedEvents(u"command"_s);
    QCOMPARE(commands.size(), 1);
    QCOMPARE(commands.at(0).joinRef, ch->joinRef());
}

void tst_PhoenixIntegration::joinRefused()
{
    server->refusedTopics << u"secret"_s;
    socket->connectToServer();
    PhoenixChannel *ch = socket->channel(u"secret"_s);
    QSignalSpy failed(ch, &PhoenixChannel::joinFailed);
    PhoenixPush *join = ch->join();
    QSignalSpy finished(join, &PhoenixPush::finished);
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(0).toJsonValue().toObject().value(u"reason"_s).toString(),
             u"unauthorized"_s);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).value<Result>(), Result::Error);
    QCOMPARE(ch->state(), State::Errored);
    ch->leave();
}

void tst_PhoenixIntegration::serverInitiatedPush()
{
    socket->connectToServer();
    PhoenixChannel *ch = socket->channel(u"t"_s);
    ch->join();
    QTRY_COMPARE(ch->state(), State::Joined);
    QSignalSpy messages(ch, &PhoenixChannel::messageReceived);
    server->push(u"t"_s, u"patch"_s, QJsonObject{{u"ops"_s, QJsonArray{1, 2}}});
    QVERIFY(messages.wait(5000));
    QCOMPARE(messages.at(0).at(0).toString(), u"patch"_s);
    QCOMPARE(messages.at(0).at(1).toJsonValue(),
             QJsonValue(QJsonObject{{u"ops"_s, QJsonArray{1, 2}}}));
}

void tst_PhoenixIntegration::serverClosesSocketReconnectRejoin()
{
    QSignalSpy status(socket, &PhoenixSocket::statusChanged);
    socket->connectToServer();
    const QJsonObject payload{{u"module"_s, u"Shop.Cart"_s}, {u"id"_s, u"7"_s}};
    PhoenixChannel *ch = socket->channel(u"musubi:connection:Shop.Cart:7"_s, payload);
    QSignalSpy joined(ch, &PhoenixChannel::joined);
    QSignalSpy errored(ch, &PhoenixChannel::errored);
    ch->join();
    QTRY_COMPARE(joined.size(), 1);
    const QString firstJoinRef = ch->joinRef();

    server->closeAll();
    QTRY_COMPARE(errored.size(), 1);
    QTRY_COMPARE(joined.size(), 2);
    QCOMPARE(socket->status(), Status::Open);
    QCOMPARE(ch->state(), State::Joined);
    QCOMPARE(socket->channel(u"musubi:connection:Shop.Cart:7"_s), ch); // same object
    QCOMPARE(server->requestUrls.size(), 2);
    const QList<PhoenixMessage> joins = server->receivedEvents(u"phx_join"_s);
    QCOMPARE(joins.size(), 2);
    QCOMPARE(joins.at(1).payload, QJsonValue(payload));
    QVERIFY(joins.at(1).joinRef != firstJoinRef);
    QList<Status> seen;
    for (const QList<QVariant> &args : std::as_const(status))
        seen << args.at(0).value<Status>();
    QCOMPARE(seen,
             (QList<Status>{Status::Connecting, Status::Open, Status::Reconnecting, Status::Open}));
    // The new incarnation receives pushes.
    QSignalSpy messages(ch, &PhoenixChannel::messageReceived);
    server->push(ch->topic(), u"patch"_s, 1);
    QVERIFY(messages.wait(5000));
}

void tst_PhoenixIntegration::heartbeatOverTheWire()
{
    socket->setHeartbeatInterval(30);
    socket->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(server->receivedEvents(u"heartbeat"_s).size() >= 4, true, 5000);
    QCOMPARE(socket->status(), Status::Open);
    QCOMPARE(server->requestUrls.size(), 1);
    for (const PhoenixMessage &m : server->receivedEvents(u"heartbeat"_s)) {
        QCOMPARE(m.topic, u"phoenix"_s);
        QVERIFY(m.joinRef.isNull());
    }
}

void tst_PhoenixIntegration::unansweredHeartbeatReconnects()
{
    server->answerHeartbeats = false;
    socket->setHeartbeatInterval(30);
    QSignalSpy error(socket, &PhoenixSocket::errorOccurred);
    socket->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(server->requestUrls.size() >= 2, true, 5000);
    QVERIFY(!error.isEmpty());
    QCOMPARE(error.at(0).at(0).toString(), u"heartbeat timeout"_s);
    server->answerHeartbeats = true;
    QTRY_COMPARE(socket->status(), Status::Open);
}

void tst_PhoenixIntegration::binaryPush()
{
    socket->connectToServer();
    PhoenixChannel *ch = socket->channel(u"musubi_upload:e1"_s);
    ch->join();
    QTRY_COMPARE(ch->state(), State::Joined);
    const QByteArray data = QByteArray(1000, '\x7f') + QByteArray("\x00\xff", 2);
    PhoenixPush *push = ch->pushBinary(u"chunk"_s, data);
    QSignalSpy finished(push, &PhoenixPush::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.at(0).at(0).value<Result>(), Result::Ok);
    QCOMPARE(finished.at(0).at(1).toJsonValue().toObject().value(u"bytes"_s).toInt(), 1002);
    QCOMPARE(server->binaryPushes.size(), 1);
    QCOMPARE(server->binaryPushes.at(0).binaryPayload, data);
    QCOMPARE(server->binaryPushes.at(0).event, u"chunk"_s);
    QCOMPARE(server->binaryPushes.at(0).joinRef, ch->joinRef());
}

void tst_PhoenixIntegration::oversizedFrameRefused()
{
    socket->setMaxFrameSize(2048);
    socket->connectToServer();
    PhoenixChannel *ch = socket->channel(u"t"_s);
    ch->join();
    QTRY_COMPARE(ch->state(), State::Joined);
    QSignalSpy messages(ch, &PhoenixChannel::messageReceived);
    server->push(u"t"_s, u"big"_s, QString(8192, u'x'));
    server->push(u"t"_s, u"small"_s, 1);
    // The oversized message never arrives: QWebSocket closes the connection
    // with 1009 (too much data); the socket reconnects and the channel rejoins.
    QTRY_COMPARE(server->requestUrls.size(), 2);
    QTRY_VERIFY(ch->state() == State::Joined && socket->isOpen());
    server->push(u"t"_s, u"after"_s, 2);
    QTRY_VERIFY(!messages.isEmpty() && messages.last().at(0).toString() == u"after"_s);
    for (const QList<QVariant> &args : std::as_const(messages))
        QVERIFY(args.at(0).toString() != u"big"_s);
}

void tst_PhoenixIntegration::malformedFramesSurvived()
{
    socket->connectToServer();
    PhoenixChannel *ch = socket->channel(u"t"_s);
    ch->join();
    QTRY_COMPARE(ch->state(), State::Joined);
    QSignalSpy messages(ch, &PhoenixChannel::messageReceived);
    server->sendRaw("not json");
    server->sendRaw(R"([1,2])");
    server->sendRaw(R"([null,"404","t","phx_reply",{"status":"ok"}])");
    server->sendRaw(R"([null,null,"t","after",{}])");
    QVERIFY(messages.wait(5000));
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.at(0).at(0).toString(), u"after"_s);
    QCOMPARE(socket->status(), Status::Open);
}

void tst_PhoenixIntegration::leaveOverTheWire()
{
    socket->connectToServer();
    QPointer<PhoenixChannel> ch = socket->channel(u"t"_s);
    ch->join();
    QTRY_COMPARE(ch->state(), State::Joined);
    QSignalSpy closed(ch.data(), &PhoenixChannel::closed);
    QSignalSpy errored(ch.data(), &PhoenixChannel::errored);
    ch->leave();
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(errored.size(), 0);
    QTRY_VERIFY(ch.isNull());
    QCOMPARE(server->receivedEvents(u"phx_leave"_s).size(), 1);
}

void tst_PhoenixIntegration::connectionRefusedKeepsTrying()
{
    // A port with nothing listening: attempts fail and are retried.
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    socket->setUrl(QUrl(u"ws://127.0.0.1:%1/socket"_s.arg(port)));
    QSignalSpy error(socket, &PhoenixSocket::errorOccurred);
    QSignalSpy status(socket, &PhoenixSocket::statusChanged);
    socket->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(error.size() >= 3, 5000);
    QCOMPARE(socket->status(), Status::Connecting);
    QCOMPARE(status.size(), 1); // failed attempts stay Connecting
    socket->disconnectFromServer();
    QCOMPARE(socket->status(), Status::Closed);
}

void tst_PhoenixIntegration::webSocketTransportSignals()
{
    PhoenixWebSocketTransport transport;
    QSignalSpy opened(&transport, &PhoenixTransport::opened);
    QSignalSpy closed(&transport, &PhoenixTransport::closed);
    QSignalSpy text(&transport, &PhoenixTransport::textReceived);
    const QUrl url(server->url().toString() + u"/websocket?vsn=2.0.0"_s);
    transport.open(url);
    QVERIFY(opened.wait(5000));
    transport.sendText(R"([null,"1","phoenix","heartbeat",{}])");
    QVERIFY(text.wait(5000));
    QCOMPARE(PhoenixSerializer::decodeText(text.at(0).at(0).toByteArray())->event, u"phx_reply"_s);
    // A deliberate close() reports nothing more for that connection.
    transport.close();
    QTRY_COMPARE(server->connectionCount(), 0);
    QCOMPARE(closed.size(), 0);
    // A connection closed by the peer is reported exactly once.
    transport.open(url);
    QTRY_COMPARE(opened.size(), 2);
    server->closeAll();
    QTRY_COMPARE(closed.size(), 1);
    // A late duplicate would surface while the next connection opens.
    transport.open(url);
    QTRY_COMPARE(opened.size(), 3);
    QCOMPARE(closed.size(), 1);
    transport.close();
}

QTEST_GUILESS_MAIN(tst_PhoenixIntegration)
#include "tst_phoenixintegration.moc"
