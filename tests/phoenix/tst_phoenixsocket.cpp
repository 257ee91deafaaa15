// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixtesthelpers.h"

#include <phoenixwebsockettransport.h>

#include <QtCore/QJsonObject>
#include <QtCore/QUrlQuery>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using Status = PhoenixSocket::Status;

class tst_PhoenixSocket : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void endpointUrl_data();
    void endpointUrl();
    void defaults();
    void statusTransitions();
    void connectIsIdempotent();
    void failedInitialAttemptsStayConnecting();
    void reconnectLadder_data();
    void reconnectLadder();
    void reconnectJitterWithinBounds();
    void reconnectLadderResetsOnOpen();
    void deliberateDisconnectNeverReconnects();
    void disconnectWhileWaitingToReconnect();
    void heartbeat();
    void heartbeatTimeoutKillsConnection();
    void heartbeatStateResetOnOpen();
    void heartbeatReplyQueuedAtTickCounts();
    void heartbeatDisabled();
    void refsAreSocketWide();
    void malformedInputDroppedAndLogged_data();
    void malformedInputDroppedAndLogged();
    void oversizedFramesRefused();
    void sslConfigurationPassedToTransport();
    void channelRegistry();
    void manualScheduler();
    void paramsProviderCalledOnEveryAttempt();
    void paramsProviderMayCloseTheSocket();
    void unauthorizedStopsTheLadder_data();
    void unauthorizedStopsTheLadder();
    void otherRefusalsKeepRetrying();
    void unauthorizedAfterBeingOpen();
    void unauthorizedStatusCodesConfigurable();
    void refusedUpgradeStatusParsed_data();
    void refusedUpgradeStatusParsed();
};

void tst_PhoenixSocket::initTestCase()
{
    qRegisterMetaType<PhoenixSocket::Status>();
}

void tst_PhoenixSocket::endpointUrl_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QVariantMap>("params");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no params") << u"ws://h:4000/socket"_s << QVariantMap()
                               << u"ws://h:4000/socket/websocket?vsn=2.0.0"_s;
    QTest::newRow("trailing slash stripped")
            << u"ws://h/socket/"_s << QVariantMap() << u"ws://h/socket/websocket?vsn=2.0.0"_s;
    QTest::newRow("wss") << u"wss://h/socket"_s << QVariantMap{{u"token"_s, u"abc"_s}}
                         << u"wss://h/socket/websocket?vsn=2.0.0&token=abc"_s;
    QTest::newRow("sorted by key")
            << u"ws://h/s"_s << QVariantMap{{u"z"_s, u"1"_s}, {u"a"_s, u"2"_s}, {u"m"_s, u"3"_s}}
            << u"ws://h/s/websocket?vsn=2.0.0&a=2&m=3&z=1"_s;
    QTest::newRow("reserved characters encoded")
            << u"ws://h/s"_s << QVariantMap{{u"token"_s, u"a b&c=d/e+f?g#h"_s}}
            << u"ws://h/s/websocket?vsn=2.0.0&token=a%20b%26c%3Dd%2Fe%2Bf%3Fg%23h"_s;
    QTest::newRow("unreserved kept") << u"ws://h/s"_s << QVariantMap{{u"k"_s, u"Az09-_.~"_s}}
                                     << u"ws://h/s/websocket?vsn=2.0.0&k=Az09-_.~"_s;
    QTest::newRow("utf-8 encoded") << u"ws://h/s"_s << QVariantMap{{u"n"_s, u"\u00e9"_s}}
                                   << u"ws://h/s/websocket?vsn=2.0.0&n=%C3%A9"_s;
    QTest::newRow("key encoded") << u"ws://h/s"_s << QVariantMap{{u"a key"_s, u"v"_s}}
                                 << u"ws://h/s/websocket?vsn=2.0.0&a%20key=v"_s;
    QTest::newRow("numbers and bools") << u"ws://h/s"_s << QVariantMap{{u"n"_s, 42}, {u"b"_s, true}}
                                       << u"ws://h/s/websocket?vsn=2.0.0&b=true&n=42"_s;
}

void tst_PhoenixSocket::endpointUrl()
{
    QFETCH(QString, base);
    QFETCH(QVariantMap, params);
    QFETCH(QString, expected);
    PhoenixHarness h;
    h.socket->setUrl(QUrl(base));
    h.socket->setParams(params);
    QCOMPARE(h.socket->endpointUrl().toString(QUrl::FullyEncoded), expected);
    h.socket->connectToServer();
    QCOMPARE(h.transport->lastUrl.toString(QUrl::FullyEncoded), expected);
}

void tst_PhoenixSocket::defaults()
{
    PhoenixSocket socket;
    QCOMPARE(socket.status(), Status::Closed);
    QVERIFY(!socket.isOpen());
    QCOMPARE(socket.heartbeatInterval(), 30000);
    QCOMPARE(socket.defaultTimeout(), 10000);
    QCOMPARE(socket.maxFrameSize(), qint64(16 * 1024 * 1024));
    QVERIFY(qobject_cast<PhoenixTimerScheduler *>(socket.scheduler()));
    QCOMPARE(PhoenixSocket::reconnectBaseDelay(0), 10);
    QCOMPARE(PhoenixSocket::reconnectBaseDelay(100), 5000);
}

void tst_PhoenixSocket::statusTransitions()
{
    PhoenixHarness h;
    QSignalSpy status(h.socket.get(), &PhoenixSocket::statusChanged);
    QSignalSpy opened(h.socket.get(), &PhoenixSocket::opened);
    QSignalSpy closed(h.socket.get(), &PhoenixSocket::closed);
    auto expect = [&](Status now, Status old) {
        QCOMPARE(status.size(), 1);
        QCOMPARE(status.at(0).at(0).value<Status>(), now);
        QCOMPARE(status.at(0).at(1).value<Status>(), old);
        QCOMPARE(h.socket->status(), now);
        status.clear();
    };
    h.socket->connectToServer();
    expect(Status::Connecting, Status::Closed);
    h.transport->serverOpen();
    expect(Status::Open, Status::Connecting);
    QVERIFY(h.socket->isOpen());
    QCOMPARE(opened.size(), 1);
    h.transport->serverClose();
    expect(Status::Reconnecting, Status::Open);
    QCOMPARE(closed.size(), 1);
    h.scheduler->advance(10);
    QCOMPARE(h.transport->openCount, 2);
    QCOMPARE(status.size(), 0);
    h.transport->serverOpen();
    expect(Status::Open, Status::Reconnecting);
    h.socket->disconnectFromServer();
    expect(Status::Closed, Status::Open);
    QCOMPARE(closed.size(), 2);
    QCOMPARE(opened.size(), 2);
}

void tst_PhoenixSocket::connectIsIdempotent()
{
    PhoenixHarness h;
    h.socket->connectToServer();
    h.socket->connectToServer();
    QCOMPARE(h.transport->openCount, 1);
    h.transport->serverOpen();
    h.socket->connectToServer();
    QCOMPARE(h.transport->openCount, 1);
    QCOMPARE(h.socket->status(), Status::Open);
}

void tst_PhoenixSocket::failedInitialAttemptsStayConnecting()
{
    PhoenixHarness h;
    QSignalSpy closed(h.socket.get(), &PhoenixSocket::closed);
    h.socket->connectToServer();
    h.transport->serverClose(); // refused
    QCOMPARE(h.socket->status(), Status::Connecting);
    QCOMPARE(closed.size(), 0); // never opened: nothing closed
    h.scheduler->advance(10);
    QCOMPARE(h.transport->openCount, 2);
    h.transport->serverClose();
    QCOMPARE(h.socket->status(), Status::Connecting);
}

void tst_PhoenixSocket::reconnectLadder_data()
{
    QTest::addColumn<double>("jitter");
    QTest::addColumn<QList<int>>("delays");
    QTest::newRow("no jitter") << 0.0 << QList<int>{10,  50,   100,  150,  200,  250,
                                                    500, 1000, 2000, 5000, 5000, 5000};
    QTest::newRow("max jitter (+25 %)")
            << 1.0 << QList<int>{12, 62, 125, 187, 250, 312, 625, 1250, 2500, 6250, 6250};
    QTest::newRow("half jitter") << 0.5
                                 << QList<int>{11, 56, 112, 168, 225, 281, 562, 1125, 2250, 5625};
}

void tst_PhoenixSocket::reconnectLadder()
{
    QFETCH(double, jitter);
    QFETCH(QList<int>, delays);
    PhoenixHarness h;
    h.jitter = jitter;
    h.socket->connectToServer();
    h.transport->serverOpen();
    h.transport->serverClose();
    for (qsizetype i = 0; i < delays.size(); ++i) {
        const int opens = h.transport->openCount;
        QCOMPARE(h.scheduler->msUntilNext(), qint64(delays.at(i)));
        h.scheduler->advance(delays.at(i) - 1);
        QCOMPARE(h.transport->openCount, opens); // not a millisecond early
        h.scheduler->advance(1);
        QCOMPARE(h.transport->openCount, opens + 1);
        h.transport->serverClose(); // attempt fails
        QCOMPARE(h.socket->status(), Status::Reconnecting);
    }
}

void tst_PhoenixSocket::reconnectJitterWithinBounds()
{
    // The default random source: every delay stays within [base, base * 1.25].
    PhoenixSocket socket;
    auto *transport = new FakePhoenixTransport;
    auto *scheduler = new PhoenixManualScheduler;
    socket.setTransport(transport);
    socket.setScheduler(scheduler);
    socket.setUrl(QUrl(u"ws://h/s"_s));
    socket.connectToServer();
    for (int attempt = 0; attempt < 40; ++attempt) {
        transport->serverClose();
        const int base = PhoenixSocket::reconnectBaseDelay(attempt);
        const qint64 delay = scheduler->msUntilNext();
        QVERIFY2(delay >= base && delay <= base + base / 4,
                 qPrintable(u"attempt %1: %2 ms"_s.arg(attempt).arg(delay)));
        scheduler->advance(delay);
    }
}

void tst_PhoenixSocket::reconnectLadderResetsOnOpen()
{
    PhoenixHarness h;
    h.socket->connectToServer();
    for (int i = 0; i < 4; ++i) {
        h.transport->serverClose();
        h.scheduler->advance(h.scheduler->msUntilNext());
    }
    QCOMPARE(h.transport->openCount, 5);
    h.transport->serverOpen();
    h.transport->serverClose();
    QCOMPARE(h.scheduler->msUntilNext(), 10);
}

void tst_PhoenixSocket::deliberateDisconnectNeverReconnects()
{
    PhoenixHarness h;
    h.open();
    QSignalSpy closed(h.socket.get(), &PhoenixSocket::closed);
    h.socket->disconnectFromServer();
    QCOMPARE(h.socket->status(), Status::Closed);
    QCOMPARE(h.transport->closeCount, 1);
    QCOMPARE(closed.size(), 1);
    QCOMPARE(h.scheduler->pendingCount(), 0); // no heartbeat, no reconnect
    h.scheduler->advance(10 * 60 * 1000);
    QCOMPARE(h.transport->openCount, 1);
    // A late closed() from the transport changes nothing.
    h.transport->serverClose();
    h.scheduler->advance(60000);
    QCOMPARE(h.transport->openCount, 1);
    QCOMPARE(h.socket->status(), Status::Closed);
    // connectToServer() works again afterwards.
    h.socket->connectToServer();
    QCOMPARE(h.transport->openCount, 2);
}

void tst_PhoenixSocket::disconnectWhileWaitingToReconnect()
{
    PhoenixHarness h;
    h.open();
    h.transport->serverClose();
    QCOMPARE(h.scheduler->pendingCount(), 1);
    h.socket->disconnectFromServer();
    QCOMPARE(h.socket->status(), Status::Closed);
    h.scheduler->advance(60000);
    QCOMPARE(h.transport->openCount, 1);
}

void tst_PhoenixSocket::heartbeat()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(1000);
    h.open();
    h.scheduler->advance(999);
    QCOMPARE(h.transport->sentText.size(), 0);
    h.scheduler->advance(1);
    QCOMPARE(h.transport->sentText.size(), 1);
    QCOMPARE(h.transport->sentText.at(0), QByteArray(R"([null,"1","phoenix","heartbeat",{}])"));
    h.transport->serverReply(h.transport->lastSent(), u"ok"_s);
    for (int i = 2; i <= 5; ++i) {
        h.scheduler->advance(1000);
        QCOMPARE(h.transport->sent(u"heartbeat"_s).size(), i);
        h.transport->serverReply(h.transport->lastSent(), u"ok"_s);
    }
    QCOMPARE(h.socket->status(), Status::Open);
    QCOMPARE(h.transport->closeCount, 0);
}

void tst_PhoenixSocket::heartbeatTimeoutKillsConnection()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(1000);
    h.open();
    QSignalSpy error(h.socket.get(), &PhoenixSocket::errorOccurred);
    h.scheduler->advance(1000); // heartbeat 1 sent, never answered
    // A reply to some other ref does not count.
    h.transport->serverMessage(QString(), u"999"_s, u"phoenix"_s, u"phx_reply"_s,
                               QJsonObject{{u"status"_s, u"ok"_s}});
    QCOMPARE(h.socket->status(), Status::Open);
    h.scheduler->advance(999);
    QCOMPARE(h.socket->status(), Status::Open);
    h.scheduler->advance(1);
    QCOMPARE(h.transport->closeCount, 1);
    QCOMPARE(h.socket->status(), Status::Reconnecting);
    QCOMPARE(error.size(), 1);
    QCOMPARE(error.at(0).at(0).toString(), u"heartbeat timeout"_s);
    QCOMPARE(h.transport->sent(u"heartbeat"_s).size(), 1); // no second heartbeat
    h.scheduler->advance(10);
    QCOMPARE(h.transport->openCount, 2);
}

void tst_PhoenixSocket::heartbeatStateResetOnOpen()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(1000);
    h.open();
    h.scheduler->advance(1000); // heartbeat pending
    h.transport->serverClose();
    h.scheduler->advance(10);
    h.transport->serverOpen();
    // The stale pending heartbeat must not kill the new connection.
    h.scheduler->advance(1000);
    QCOMPARE(h.socket->status(), Status::Open);
    QCOMPARE(h.transport->sent(u"heartbeat"_s).size(), 2);
    h.transport->serverReply(h.transport->lastSent(), u"ok"_s);
    h.scheduler->advance(1000);
    QCOMPARE(h.socket->status(), Status::Open);
    QCOMPARE(h.transport->closeCount, 0);
}

void tst_PhoenixSocket::heartbeatReplyQueuedAtTickCounts()
{
    // A reply that is already queued when the next tick is due is read before
    // the connection is declared dead.
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(1000);
    h.open();
    h.scheduler->advance(1000); // heartbeat 1 sent; next tick armed for t=2000
    const PhoenixMessage first = h.transport->lastSent();
    QObject context;
    // Runs at t=2000 right after the tick (scheduled later, same due time).
    h.scheduler->schedule(1000, &context, [&] { h.transport->serverReply(first, u"ok"_s); });
    h.scheduler->advance(1000);
    QCOMPARE(h.socket->status(), Status::Open);
    QCOMPARE(h.transport->closeCount, 0);
    QCOMPARE(h.transport->sent(u"heartbeat"_s).size(), 2);
}

void tst_PhoenixSocket::heartbeatDisabled()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(0);
    h.open();
    QCOMPARE(h.scheduler->pendingCount(), 0);
}

void tst_PhoenixSocket::refsAreSocketWide()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(1000);
    h.open();
    QCOMPARE(h.socket->makeRef(), u"1"_s);
    h.socket->channel(u"a"_s)->join();
    h.socket->channel(u"b"_s)->join();
    h.scheduler->advance(1000);
    const QList<PhoenixMessage> sent = h.transport->sent();
    QCOMPARE(sent.size(), 3);
    QCOMPARE(sent.at(0).ref, u"2"_s);
    QCOMPARE(sent.at(0).joinRef, u"2"_s);
    QCOMPARE(sent.at(1).ref, u"3"_s);
    QCOMPARE(sent.at(2).ref, u"4"_s);
    QVERIFY(sent.at(2).joinRef.isNull());
    QCOMPARE(h.socket->makeRef(), u"5"_s);
}

void tst_PhoenixSocket::malformedInputDroppedAndLogged_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QString>("logged");
    QTest::newRow("not JSON") << QByteArray("{oops") << false << u"malformed"_s;
    QTest::newRow("wrong arity") << QByteArray(R"(["1","2","t"])") << false << u"malformed"_s;
    QTest::newRow("wrong types") << QByteArray(R"([1,2,3,4,5])") << false << u"malformed"_s;
    QTest::newRow("reply to unknown ref")
            << QByteArray(R"(["1","77","room","phx_reply",{"status":"ok","response":{}}])") << false
            << u"unknown ref"_s;
    QTest::newRow("reply without ref")
            << QByteArray(R"(["1",null,"room","phx_reply",{"status":"ok","response":{}}])") << false
            << u"unknown ref"_s;
    QTest::newRow("unknown topic")
            << QByteArray(R"([null,null,"nope","patch",{}])") << false << u"unknown topic"_s;
    QTest::newRow("unknown event on phoenix")
            << QByteArray(R"([null,null,"phoenix","boom",{}])") << false << u"topic phoenix"_s;
    QTest::newRow("unknown lifecycle event")
            << QByteArray(R"([null,null,"room","phx_join",{}])") << false << u"lifecycle"_s;
    QTest::newRow("binary garbage") << QByteArray("\x09\x01", 2) << true << u"malformed binary"_s;
    QTest::newRow("binary reply to unknown ref") << QByteArray("\x01\x01\x02\x04\x02"
                                                               "199roomokxx",
                                                               16)
                                                 << true << u"unknown ref"_s;
}

void tst_PhoenixSocket::malformedInputDroppedAndLogged()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, binary);
    QFETCH(QString, logged);
    PhoenixHarness h;
    h.open();
    PhoenixChannel *room = h.socket->channel(u"room"_s);
    h.joinOk(room);
    QSignalSpy messages(room, &PhoenixChannel::messageReceived);
    QSignalSpy states(room, &PhoenixChannel::stateChanged);
    PhoenixLogCapture log;
    if (binary)
        emit h.transport->binaryReceived(frame);
    else
        h.transport->serverText(frame);
    QVERIFY2(log.contains(logged), qPrintable(log.messages().join(u" | ")));
    QCOMPARE(messages.size(), 0);
    QCOMPARE(states.size(), 0);
    QCOMPARE(h.socket->status(), Status::Open);
    QCOMPARE(room->state(), PhoenixChannel::State::Joined);
}

void tst_PhoenixSocket::oversizedFramesRefused()
{
    PhoenixHarness h;
    h.socket->setMaxFrameSize(100);
    h.open();
    QCOMPARE(h.transport->maxMessageSize, 100); // the transport is told as well
    PhoenixChannel *room = h.socket->channel(u"room"_s);
    h.joinOk(room);
    QSignalSpy messages(room, &PhoenixChannel::messageReceived);
    PhoenixLogCapture log;
    const QString big(200, u'x');
    h.transport->serverMessage(QString(), QString(), u"room"_s, u"big"_s, big);
    QCOMPARE(messages.size(), 0);
    QVERIFY(log.contains(u"above the limit"_s));
    emit h.transport->binaryReceived(QByteArray(101, '\x02'));
    QVERIFY(log.messages().filter(u"above the limit"_s).size() == 2);
    h.transport->serverMessage(QString(), QString(), u"room"_s, u"small"_s, u"x"_s);
    QCOMPARE(messages.size(), 1);
}

void tst_PhoenixSocket::sslConfigurationPassedToTransport()
{
    PhoenixHarness h;
    h.socket->setUrl(QUrl(u"wss://example.test/socket"_s));
    h.socket->connectToServer();
    QCOMPARE(h.transport->sslSetCount, 0); // untouched unless configured
    h.socket->disconnectFromServer();
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    configuration.setPeerVerifyDepth(3);
    h.socket->setSslConfiguration(configuration);
    h.socket->connectToServer();
    QCOMPARE(h.transport->sslSetCount, 1);
    QCOMPARE(h.transport->ssl.peerVerifyMode(), QSslSocket::VerifyNone);
    QCOMPARE(h.transport->ssl.peerVerifyDepth(), 3);
    QVERIFY(h.transport->lastUrl.toString().startsWith(u"wss://example.test/socket/websocket"_s));
}

void tst_PhoenixSocket::channelRegistry()
{
    PhoenixHarness h;
    PhoenixChannel *a = h.socket->channel(u"a"_s, QJsonObject{{u"p"_s, 1}});
    QCOMPARE(h.socket->channel(u"a"_s), a);
    QCOMPARE(a->joinPayload(), (QJsonObject{{u"p"_s, 1}}));
    QCOMPARE(h.socket->channel(u"a"_s, QJsonObject{{u"p"_s, 2}}), a);
    QCOMPARE(a->joinPayload(), (QJsonObject{{u"p"_s, 2}}));
    PhoenixChannel *b = h.socket->channel(u"b"_s);
    QVERIFY(a != b);
    QCOMPARE(h.socket->channels(), (QList<PhoenixChannel *>{a, b}));
    QPointer<PhoenixChannel> guard(a);
    a->leave();
    QCOMPARE(h.socket->channels(), (QList<PhoenixChannel *>{b}));
    PhoenixChannel *a2 = h.socket->channel(u"a"_s);
    QVERIFY(a2 != a);
    QTRY_VERIFY(guard.isNull()); // deleted later
}

void tst_PhoenixSocket::manualScheduler()
{
    PhoenixManualScheduler s;
    QStringList order;
    QObject context;
    s.schedule(20, &context, [&] { order << u"b"_s; });
    s.schedule(10, &context, [&] {
        order << u"a"_s;
        s.schedule(5, &context, [&] { order << u"a+5"_s; });
    });
    const auto cancelled = s.schedule(15, &context, [&] { order << u"cancelled"_s; });
    s.schedule(20, &context, [&] { order << u"c"_s; });
    {
        QObject dead;
        s.schedule(1, &dead, [&] { order << u"dead"_s; });
    }
    s.cancel(cancelled);
    QCOMPARE(s.pendingCount(), 3);
    QCOMPARE(s.msUntilNext(), 10);
    s.advance(9);
    QVERIFY(order.isEmpty());
    QCOMPARE(s.now(), 9);
    s.advance(100);
    QCOMPARE(order, (QStringList{u"a"_s, u"a+5"_s, u"b"_s, u"c"_s}));
    QCOMPARE(s.now(), 109);
    QCOMPARE(s.msUntilNext(), -1);

    // The real scheduler fires too.
    PhoenixTimerScheduler real;
    bool fired = false;
    const qint64 start = real.now();
    real.schedule(5, &context, [&] { fired = true; });
    QTRY_VERIFY(fired);
    QVERIFY(real.now() - start >= 4);
    bool cancelledFired = false;
    real.cancel(real.schedule(1, &context, [&] { cancelledFired = true; }));
    bool later = false;
    real.schedule(20, &context, [&] { later = true; });
    QTRY_VERIFY(later);
    QVERIFY(!cancelledFired);
}

QTEST_GUILESS_MAIN(tst_PhoenixSocket)
#include "tst_phoenixsocket.moc"

void tst_PhoenixSocket::paramsProviderCalledOnEveryAttempt()
{
    PhoenixHarness h;
    h.socket->setParams({{u"token"_s, u"static"_s}, {u"client"_s, u"qt"_s}});
    int calls = 0;
    h.socket->setParamsProvider([&calls] {
        ++calls;
        return QVariantMap{{u"token"_s, u"t%1"_s.arg(calls)}};
    });
    auto query = [&h] {
        return QUrlQuery(h.transport->lastUrl);
    };
    h.socket->connectToServer();
    QCOMPARE(calls, 1);
    // Merged over the static params: the provider's key wins, the others stay.
    QCOMPARE(query().queryItemValue(u"token"_s), u"t1"_s);
    QCOMPARE(query().queryItemValue(u"client"_s), u"qt"_s);
    QCOMPARE(query().queryItemValue(u"vsn"_s), u"2.0.0"_s);
    // endpointUrl() shows the static params only.
    QCOMPARE(QUrlQuery(h.socket->endpointUrl()).queryItemValue(u"token"_s), u"static"_s);
    // Every failed attempt and every reconnect after a drop asks again.
    for (int attempt = 2; attempt <= 4; ++attempt) {
        h.transport->serverClose();
        QCOMPARE(calls, attempt - 1); // not before the timer fires
        h.scheduler->advance(h.scheduler->msUntilNext());
        QCOMPARE(calls, attempt);
        QCOMPARE(query().queryItemValue(u"token"_s), u"t%1"_s.arg(attempt));
    }
    h.transport->serverOpen();
    h.transport->serverClose();
    h.scheduler->advance(h.scheduler->msUntilNext());
    QCOMPARE(calls, 5);
    QCOMPARE(query().queryItemValue(u"token"_s), u"t5"_s);
    // Removing the provider: the static params again.
    h.socket->setParamsProvider({});
    h.transport->serverClose();
    h.scheduler->advance(h.scheduler->msUntilNext());
    QCOMPARE(query().queryItemValue(u"token"_s), u"static"_s);
    QCOMPARE(h.transport->openCount, 6);
}

void tst_PhoenixSocket::paramsProviderMayCloseTheSocket()
{
    PhoenixHarness h;
    h.socket->setParamsProvider([&h] {
        h.socket->disconnectFromServer();
        return QVariantMap{{u"token"_s, u"x"_s}};
    });
    h.socket->connectToServer();
    QCOMPARE(h.socket->status(), Status::Closed);
    QCOMPARE(h.transport->openCount, 0);
    QCOMPARE(h.scheduler->pendingCount(), 0);
}

void tst_PhoenixSocket::unauthorizedStopsTheLadder_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    QTest::newRow("401") << 401 << u"Unauthorized"_s;
    QTest::newRow("403") << 403 << u"Forbidden"_s;
}

void tst_PhoenixSocket::unauthorizedStopsTheLadder()
{
    QFETCH(int, code);
    QFETCH(QString, reason);
    PhoenixHarness h;
    int calls = 0;
    h.socket->setParamsProvider([&calls] {
        ++calls;
        return QVariantMap{{u"token"_s, u"t%1"_s.arg(calls)}};
    });
    QSignalSpy status(h.socket.get(), &PhoenixSocket::statusChanged);
    QSignalSpy errors(h.socket.get(), &PhoenixSocket::errorOccurred);
    QSignalSpy refused(h.socket.get(), &PhoenixSocket::upgradeRefused);
    h.socket->connectToServer();
    h.transport->serverClose(); // a network failure: retried
    h.scheduler->advance(h.scheduler->msUntilNext());
    QCOMPARE(h.transport->openCount, 2);
    status.clear();
    h.transport->serverRefuse(code, reason);
    QCOMPARE(h.socket->status(), Status::Unauthorized);
    QCOMPARE(status.size(), 1);
    QCOMPARE(status.at(0).at(0).value<Status>(), Status::Unauthorized);
    QCOMPARE(status.at(0).at(1).value<Status>(), Status::Connecting);
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.at(0).at(0).toInt(), code);
    QCOMPARE(refused.at(0).at(1).toString(), reason);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.at(0).at(0).toString(),
             u"connection refused: HTTP %1 %2"_s.arg(code).arg(reason));
    // No further attempt, however long we wait.
    QCOMPARE(h.scheduler->pendingCount(), 0);
    h.scheduler->advance(10 * 60 * 1000);
    QCOMPARE(h.transport->openCount, 2);
    QCOMPARE(calls, 2);
    // connectToServer() tries again with fresh params, on a fresh ladder.
    h.socket->connectToServer();
    QCOMPARE(h.socket->status(), Status::Connecting);
    QCOMPARE(h.transport->openCount, 3);
    QCOMPARE(calls, 3);
    QCOMPARE(QUrlQuery(h.transport->lastUrl).queryItemValue(u"token"_s), u"t3"_s);
    h.transport->serverClose();
    QCOMPARE(h.scheduler->msUntilNext(), 10);
    h.scheduler->advance(10);
    h.transport->serverOpen();
    QCOMPARE(h.socket->status(), Status::Open);
    // disconnectFromServer() from Unauthorized is Closed.
    h.transport->serverClose();
    h.scheduler->advance(h.scheduler->msUntilNext());
    h.transport->serverRefuse(code, reason);
    QCOMPARE(h.socket->status(), Status::Unauthorized);
    h.socket->disconnectFromServer();
    QCOMPARE(h.socket->status(), Status::Closed);
}

void tst_PhoenixSocket::otherRefusalsKeepRetrying()
{
    PhoenixHarness h;
    QSignalSpy errors(h.socket.get(), &PhoenixSocket::errorOccurred);
    QSignalSpy refused(h.socket.get(), &PhoenixSocket::upgradeRefused);
    h.socket->connectToServer();
    const QList<int> delays{10, 50, 100, 150, 200};
    for (qsizetype i = 0; i < delays.size(); ++i) {
        h.transport->serverRefuse(i % 2 ? 503 : 500, u"Server Error"_s);
        QCOMPARE(h.socket->status(), Status::Connecting);
        QCOMPARE(h.scheduler->msUntilNext(), qint64(delays.at(i)));
        h.scheduler->advance(delays.at(i));
        QCOMPARE(h.transport->openCount, i + 2);
    }
    QCOMPARE(refused.size(), delays.size());
    QCOMPARE(errors.size(), delays.size());
    QCOMPARE(errors.at(0).at(0).toString(), u"connection refused: HTTP 500 Server Error"_s);
    h.transport->serverOpen();
    QCOMPARE(h.socket->status(), Status::Open);
}

void tst_PhoenixSocket::unauthorizedAfterBeingOpen()
{
    PhoenixHarness h;
    PhoenixChannel *channel = h.socket->channel(u"room:1"_s);
    h.open();
    h.joinOk(channel);
    h.transport->serverClose();
    QCOMPARE(h.socket->status(), Status::Reconnecting);
    h.scheduler->advance(h.scheduler->msUntilNext());
    h.transport->serverRefuse(401, {});
    QCOMPARE(h.socket->status(), Status::Unauthorized);
    QCOMPARE(h.scheduler->pendingCount(), 0);
    // open() again: the channel rejoins once the socket is open.
    h.socket->connectToServer();
    h.transport->serverOpen();
    QCOMPARE(h.socket->status(), Status::Open);
    QCOMPARE(h.transport->sent(u"phx_join"_s, u"room:1"_s).size(), 2);
}

void tst_PhoenixSocket::unauthorizedStatusCodesConfigurable()
{
    PhoenixHarness h;
    QCOMPARE(h.socket->unauthorizedStatusCodes(), (QList<int>{401, 403}));
    h.socket->setUnauthorizedStatusCodes({419});
    h.socket->connectToServer();
    h.transport->serverRefuse(401, u"Unauthorized"_s);
    QCOMPARE(h.socket->status(), Status::Connecting);
    h.scheduler->advance(h.scheduler->msUntilNext());
    h.transport->serverRefuse(419, u"Authentication Timeout"_s);
    QCOMPARE(h.socket->status(), Status::Unauthorized);
    QCOMPARE(h.transport->openCount, 2);
    // A refusal reported for an attempt that then opens anyway counts for nothing.
    h.socket->setUnauthorizedStatusCodes({401});
    h.socket->connectToServer();
    h.transport->serverOpen();
    h.transport->serverClose();
    QCOMPARE(h.socket->status(), Status::Reconnecting);
}

void tst_PhoenixSocket::refusedUpgradeStatusParsed_data()
{
    QTest::addColumn<QString>("errorString");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    // Texts as QWebSocket 6.4 sets them (measured against a loopback server).
    QTest::newRow("401")
            << u"QWebSocketPrivate::processHandshake: Unhandled http status code: 401 (Unauthorized)."_s
            << 401 << u"Unauthorized"_s;
    QTest::newRow("403")
            << u"QWebSocketPrivate::processHandshake: Unhandled http status code: 403 (Forbidden)."_s
            << 403 << u"Forbidden"_s;
    QTest::newRow("500")
            << u"QWebSocketPrivate::processHandshake: Unhandled http status code: 500 (Internal Server Error)."_s
            << 500 << u"Internal Server Error"_s;
    QTest::newRow("no reason phrase")
            << u"QWebSocketPrivate::processHandshake: Unhandled http status code: 401 ()."_s << 401
            << QString();
    QTest::newRow("400 is not reported with a status")
            << u"QWebSocketPrivate::processHandshake: Unknown error condition encountered. Aborting connection."_s
            << 0 << QString();
    QTest::newRow("connection refused") << u"Connection refused"_s << 0 << QString();
    QTest::newRow("empty") << QString() << 0 << QString();
    QTest::newRow("out of range") << u"Unhandled http status code: 999 (x)."_s << 0 << QString();
}

void tst_PhoenixSocket::refusedUpgradeStatusParsed()
{
    QFETCH(QString, errorString);
    QFETCH(int, status);
    QFETCH(QString, reason);
    QString phrase;
    QCOMPARE(PhoenixWebSocketTransport::refusedUpgradeStatus(errorString, &phrase), status);
    QCOMPARE(phrase, reason);
    QCOMPARE(PhoenixWebSocketTransport::refusedUpgradeStatus(errorString), status);
}
