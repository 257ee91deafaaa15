// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixtesthelpers.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using State = PhoenixChannel::State;
using Result = PhoenixPush::Result;

namespace {

//! Collects a push's outcome (the push deletes itself afterwards).
struct PushOutcome
{
    explicit PushOutcome(PhoenixPush *push)
    {
        QObject::connect(push, &PhoenixPush::finished, push,
                         [this, push](Result r, const QJsonValue &v) {
                             ++count;
                             result = r;
                             response = v;
                             error = push->errorString();
                         });
    }
    int count = 0;
    Result result = Result::Failed;
    QJsonValue response;
    QString error;
};

QList<State> states(const QSignalSpy &spy)
{
    QList<State> out;
    for (const QList<QVariant> &args : spy)
        out.append(args.at(0).value<State>());
    return out;
}

//! Opens the socket of \a h and returns its channel "t", not joined yet.
PhoenixChannel *openChannel(PhoenixHarness &h, const QJsonObject &payload = {})
{
    h.open();
    return h.socket->channel(u"t"_s, payload);
}

//! openChannel(), with the join answered ok.
PhoenixChannel *joinedChannel(PhoenixHarness &h, const QJsonObject &payload = {})
{
    PhoenixChannel *ch = openChannel(h, payload);
    h.joinOk(ch);
    return ch;
}

//! How many \a event messages the client wrote so far.
qsizetype sentCount(const PhoenixHarness &h, const QString &event)
{
    return h.transport->sent(event).size();
}

//! The server sends \a event (phx_error, phx_close) to the current join of channel "t".
void serverSends(const PhoenixHarness &h, const PhoenixChannel *ch, const QString &event)
{
    h.transport->serverMessage(ch->joinRef(), QString(), u"t"_s, event, QJsonObject());
}

} // namespace

class tst_PhoenixChannel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void joinWhileSocketConnecting();
    void joinWhileOpen();
    void joinError();
    void rejoinLadder_data();
    void rejoinLadder();
    void joinTimeout();
    void lateReplyToTimedOutJoinIgnored();
    void malformedJoinReplyIsATimeout();
    void phxErrorRejoins();
    void phxCloseDoesNotRejoin();
    void leaveJoined();
    void leaveCloseBeforeReplyNotAnError();
    void leaveWhileNotJoined();
    void leaveDuringRejoinWait();
    void leaveWhileJoinInFlight();
    void joinAfterLeaveFails();
    void socketDestroyedWithPendingWork();
    void socketDropThenImmediateRejoin();
    void rejoinTimerDisarmedWhileSocketDown();
    void deliberateDisconnectErrorsChannels();
    void staleJoinRefDropped();
    void duplicateJoinPrevented();
    void pushReplies_data();
    void pushReplies();
    void pushTimeout();
    void pushFailsOnSocketDrop();
    void bufferedUntilJoined();
    void bufferedPushTimesOutAndIsNeverSent();
    void bufferOverflowFails();
    void pushOnLeavingChannelFails();
    void pushBinary();
    void pushBinaryRefusesLongHeaderFields();
    void inboundBinaryBroadcast();
    void serverPushDelivered();
};

void tst_PhoenixChannel::initTestCase()
{
    qRegisterMetaType<PhoenixChannel::State>();
    qRegisterMetaType<PhoenixPush::Result>();
}

void tst_PhoenixChannel::joinWhileSocketConnecting()
{
    PhoenixHarness h;
    h.socket->connectToServer();
    PhoenixChannel *ch = h.socket->channel(u"room:1"_s, QJsonObject{{u"token"_s, u"t"_s}});
    QSignalSpy stateSpy(ch, &PhoenixChannel::stateChanged);
    QSignalSpy joined(ch, &PhoenixChannel::joined);
    PushOutcome join(ch->join());
    QCOMPARE(ch->state(), State::Joining);
    QCOMPARE(h.transport->sentText.size(), 0);
    // No timeout runs before the join is sent.
    h.scheduler->advance(60000);
    QCOMPARE(join.count, 0);
    h.transport->serverOpen();
    const QList<PhoenixMessage> sent = h.transport->sent(u"phx_join"_s);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.at(0).joinRef, sent.at(0).ref);
    QCOMPARE(sent.at(0).topic, u"room:1"_s);
    QCOMPARE(sent.at(0).payload, QJsonValue(QJsonObject{{u"token"_s, u"t"_s}}));
    QCOMPARE(ch->joinRef(), sent.at(0).ref);
    h.transport->serverReply(sent.at(0), u"ok"_s, QJsonObject{{u"root_id"_s, u"r"_s}});
    QCOMPARE(ch->state(), State::Joined);
    QCOMPARE(joined.size(), 1);
    QCOMPARE(joined.at(0).at(0).toJsonValue(), QJsonValue(QJsonObject{{u"root_id"_s, u"r"_s}}));
    QCOMPARE(join.count, 1);
    QCOMPARE(join.result, Result::Ok);
    QCOMPARE(states(stateSpy), (QList<State>{State::Joining, State::Joined}));
    QCOMPARE(stateSpy.at(1).at(1).value<State>(), State::Joining);
}

void tst_PhoenixChannel::joinWhileOpen()
{
    PhoenixHarness h;
    PhoenixChannel *ch = openChannel(h);
    QSignalSpy stateSpy(ch, &PhoenixChannel::stateChanged);
    QCOMPARE(ch->state(), State::Closed);
    PushOutcome join(ch->join());
    QCOMPARE(ch->state(), State::Joining);
    QCOMPARE(sentCount(h, u"phx_join"_s), 1);
    h.transport->serverReply(h.transport->lastSent(), u"ok"_s);
    QCOMPARE(ch->state(), State::Joined);
    QCOMPARE(join.result, Result::Ok);
    QCOMPARE(states(stateSpy), (QList<State>{State::Joining, State::Joined}));
    QCOMPARE(stateSpy.at(0).at(1).value<State>(), State::Closed);
}

void tst_PhoenixChannel::joinError()
{
    PhoenixHarness h;
    PhoenixChannel *ch = openChannel(h);
    QSignalSpy failed(ch, &PhoenixChannel::joinFailed);
    QSignalSpy errored(ch, &PhoenixChannel::errored);
    PushOutcome join(ch->join());
    h.transport->serverReply(h.transport->lastSent(), u"error"_s,
                             QJsonObject{{u"reason"_s, u"unauthorized"_s}});
    QCOMPARE(ch->state(), State::Errored);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).toJsonValue().toObject().value(u"reason"_s).toString(),
             u"unauthorized"_s);
    QCOMPARE(errored.size(), 0);
    QCOMPARE(join.result, Result::Error);
    QVERIFY(ch->joinRef().isEmpty());
    // Rejoins along the ladder.
    h.scheduler->advance(999);
    QCOMPARE(sentCount(h, u"phx_join"_s), 1);
    h.scheduler->advance(1);
    QCOMPARE(sentCount(h, u"phx_join"_s), 2);
    QCOMPARE(ch->state(), State::Joining);
    h.transport->serverReply(h.transport->lastSent(), u"ok"_s);
    QCOMPARE(ch->state(), State::Joined);
}

void tst_PhoenixChannel::rejoinLadder_data()
{
    QTest::addColumn<QList<int>>("delays");
    QTest::newRow("ladder") << QList<int>{1000, 2000, 5000, 10000, 10000, 10000};
}

void tst_PhoenixChannel::rejoinLadder()
{
    QFETCH(QList<int>, delays);
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(0);
    PhoenixChannel *ch = openChannel(h);
    ch->join();
    for (qsizetype i = 0; i < delays.size(); ++i) {
        h.transport->serverReply(h.transport->lastSent(), u"error"_s);
        QCOMPARE(h.scheduler->msUntilNext(), qint64(delays.at(i)));
        const qsizetype joins = sentCount(h, u"phx_join"_s);
        h.scheduler->advance(delays.at(i) - 1);
        QCOMPARE(sentCount(h, u"phx_join"_s), joins);
        h.scheduler->advance(1);
        QCOMPARE(sentCount(h, u"phx_join"_s), joins + 1);
    }
    // A successful join resets the ladder.
    h.transport->serverReply(h.transport->lastSent(), u"ok"_s);
    serverSends(h, ch, u"phx_error"_s);
    QCOMPARE(h.scheduler->msUntilNext(), 1000);
    QCOMPARE(PhoenixChannel::rejoinDelay(0), 1000);
    QCOMPARE(PhoenixChannel::rejoinDelay(99), 10000);
}

void tst_PhoenixChannel::joinTimeout()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(0);
    PhoenixChannel *ch = openChannel(h, QJsonObject{{u"a"_s, 1}});
    QSignalSpy timedOut(ch, &PhoenixChannel::joinTimedOut);
    PushOutcome join(ch->join());
    const PhoenixMessage first = h.transport->lastSent();
    h.scheduler->advance(9999);
    QCOMPARE(timedOut.size(), 0);
    h.scheduler->advance(1);
    QCOMPARE(timedOut.size(), 1);
    QCOMPARE(join.result, Result::Timeout);
    QCOMPARE(ch->state(), State::Errored);
    // phx_leave stamped with the abandoned join_ref.
    const QList<PhoenixMessage> leaves = h.transport->sent(u"phx_leave"_s);
    QCOMPARE(leaves.size(), 1);
    QCOMPARE(leaves.at(0).joinRef, first.joinRef);
    QVERIFY(leaves.at(0).ref != first.ref);
    // Rejoin after the first rung, with a fresh join_ref and the same payload.
    h.scheduler->advance(1000);
    const QList<PhoenixMessage> joins = h.transport->sent(u"phx_join"_s);
    QCOMPARE(joins.size(), 2);
    QVERIFY(joins.at(1).joinRef != first.joinRef);
    QCOMPARE(joins.at(1).payload, first.payload);
    // A custom join timeout is honoured on rejoins too.
    PhoenixChannel *other = h.socket->channel(u"u"_s);
    QSignalSpy otherTimedOut(other, &PhoenixChannel::joinTimedOut);
    other->join(500);
    h.scheduler->advance(500);
    QCOMPARE(otherTimedOut.size(), 1);
    h.scheduler->advance(1000 + 500);
    QCOMPARE(otherTimedOut.size(), 2);
}

void tst_PhoenixChannel::lateReplyToTimedOutJoinIgnored()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(0);
    PhoenixChannel *ch = openChannel(h);
    ch->join();
    const PhoenixMessage first = h.transport->lastSent();
    h.scheduler->advance(10000);
    PhoenixLogCapture log;
    h.transport->serverReply(first, u"ok"_s);
    QCOMPARE(ch->state(), State::Errored);
    QVERIFY(log.contains(u"unknown ref"_s));
    // And the phx_close for the abandoned incarnation is stale.
    h.transport->serverMessage(first.joinRef, first.ref, u"t"_s, u"phx_close"_s, QJsonObject());
    QCOMPARE(ch->state(), State::Errored);
    h.scheduler->advance(1000);
    QCOMPARE(ch->state(), State::Joining);
}

void tst_PhoenixChannel::malformedJoinReplyIsATimeout()
{
    PhoenixHarness h;
    PhoenixChannel *ch = openChannel(h);
    QSignalSpy timedOut(ch, &PhoenixChannel::joinTimedOut);
    ch->join();
    const PhoenixMessage join = h.transport->lastSent();
    h.transport->serverMessage(join.joinRef, join.ref, u"t"_s, u"phx_reply"_s,
                               QJsonObject{{u"status"_s, u"maybe"_s}});
    QCOMPARE(timedOut.size(), 1);
    QCOMPARE(ch->state(), State::Errored);
}

void tst_PhoenixChannel::phxErrorRejoins()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(0);
    PhoenixChannel *ch = joinedChannel(h, QJsonObject{{u"x"_s, 1}});
    QSignalSpy errored(ch, &PhoenixChannel::errored);
    QSignalSpy closed(ch, &PhoenixChannel::closed);
    QSignalSpy joined(ch, &PhoenixChannel::joined);
    serverSends(h, ch, u"phx_error"_s);
    QCOMPARE(ch->state(), State::Errored);
    QCOMPARE(errored.size(), 1);
    QCOMPARE(closed.size(), 0);
    h.scheduler->advance(1000);
    QCOMPARE(ch->state(), State::Joining);
    QCOMPARE(h.transport->lastSent().payload, QJsonValue(QJsonObject{{u"x"_s, 1}}));
    h.transport->serverReply(h.transport->lastSent(), u"ok"_s);
    QCOMPARE(ch->state(), State::Joined);
    QCOMPARE(joined.size(), 1);
}

void tst_PhoenixChannel::phxCloseDoesNotRejoin()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(0);
    PhoenixChannel *ch = joinedChannel(h);
    QSignalSpy errored(ch, &PhoenixChannel::errored);
    QSignalSpy closed(ch, &PhoenixChannel::closed);
    ch->push(u"late"_s, QJsonObject()); // in flight
    serverSends(h, ch, u"phx_close"_s);
    QCOMPARE(ch->state(), State::Closed);
    QCOMPARE(closed.size(), 1);
    QCOMPARE(errored.size(), 0);
    h.scheduler->advance(10 * 60 * 1000);
    QCOMPARE(sentCount(h, u"phx_join"_s), 1);
    // A socket reconnect does not rejoin it either.
    h.transport->serverClose();
    h.scheduler->advance(10);
    h.transport->serverOpen();
    QCOMPARE(sentCount(h, u"phx_join"_s), 1);
    QCOMPARE(ch->state(), State::Closed);
    // It is still THE channel for the topic, and can be joined again.
    QCOMPARE(h.socket->channel(u"t"_s), ch);
    ch->join();
    QCOMPARE(sentCount(h, u"phx_join"_s), 2);
}

void tst_PhoenixChannel::leaveJoined()
{
    PhoenixHarness h;
    QPointer<PhoenixChannel> ch = joinedChannel(h);
    const QString joinRef = ch->joinRef();
    QSignalSpy stateSpy(ch, &PhoenixChannel::stateChanged);
    QSignalSpy errored(ch, &PhoenixChannel::errored);
    QSignalSpy closed(ch, &PhoenixChannel::closed);
    PushOutcome leave(ch->leave());
    QCOMPARE(ch->state(), State::Leaving);
    const PhoenixMessage sent = h.transport->lastSent();
    QCOMPARE(sent.event, u"phx_leave"_s);
    QCOMPARE(sent.joinRef, joinRef);
    QCOMPARE(sent.payload, QJsonValue(QJsonObject()));
    h.transport->serverReply(sent, u"ok"_s);
    QCOMPARE(leave.result, Result::Ok);
    QCOMPARE(states(stateSpy), (QList<State>{State::Leaving, State::Closed}));
    QCOMPARE(closed.size(), 1);
    QCOMPARE(errored.size(), 0);
    // The server's phx_close after our leave is not an error.
    h.transport->serverMessage(joinRef, sent.ref, u"t"_s, u"phx_close"_s, QJsonObject());
    QCOMPARE(errored.size(), 0);
    QCOMPARE(closed.size(), 1);
    QTRY_VERIFY(ch.isNull());
    h.scheduler->advance(60000);
    QCOMPARE(sentCount(h, u"phx_join"_s), 1);
}

void tst_PhoenixChannel::leaveCloseBeforeReplyNotAnError()
{
    PhoenixHarness h;
    QPointer<PhoenixChannel> ch = joinedChannel(h);
    QSignalSpy errored(ch.data(), &PhoenixChannel::errored);
    QSignalSpy closed(ch.data(), &PhoenixChannel::closed);
    PushOutcome leave(ch->leave());
    serverSends(h, ch, u"phx_close"_s);
    QCOMPARE(closed.size(), 1);
    QCOMPARE(errored.size(), 0);
    QCOMPARE(leave.count, 1); // the close completes our leave
    QCOMPARE(leave.result, Result::Ok);
    QTRY_VERIFY(ch.isNull());
}

void tst_PhoenixChannel::leaveWhileNotJoined()
{
    PhoenixHarness h;
    h.socket->connectToServer();
    PhoenixChannel *ch = h.socket->channel(u"t"_s);
    PushOutcome join(ch->join());
    QSignalSpy closed(ch, &PhoenixChannel::closed);
    PushOutcome leave(ch->leave());
    QCOMPARE(ch->state(), State::Closed);
    QCOMPARE(closed.size(), 1);
    QTRY_COMPARE(leave.count, 1);
    QCOMPARE(leave.result, Result::Ok);
    QCOMPARE(join.result, Result::Failed);
    QVERIFY(join.error.contains(u"left"_s));
    h.transport->serverOpen();
    QCOMPARE(h.transport->sentText.size(), 0); // nothing on the wire
}

void tst_PhoenixChannel::leaveDuringRejoinWait()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(0);
    PhoenixChannel *ch = openChannel(h);
    ch->join();
    const PhoenixMessage refused = h.transport->lastSent();
    h.transport->serverReply(refused, u"error"_s);
    QCOMPARE(h.scheduler->pendingCount(), 1);
    PushOutcome leave(ch->leave());
    // The refused join is left on the wire (as phoenix.js does), stamped with its join_ref;
    // the rejoin timer is gone.
    QCOMPARE(sentCount(h, u"phx_leave"_s), 1);
    const PhoenixMessage sentLeave = h.transport->lastSent();
    QCOMPARE(sentLeave.event, u"phx_leave"_s);
    QCOMPARE(sentLeave.joinRef, refused.ref);
    QCOMPARE(ch->state(), State::Leaving);
    h.transport->serverReply(sentLeave, u"ok"_s);
    QCOMPARE(leave.result, Result::Ok);
    QCOMPARE(ch->state(), State::Closed);
    h.scheduler->advance(60000);
    QCOMPARE(sentCount(h, u"phx_join"_s), 1);
    QCOMPARE(sentCount(h, u"phx_leave"_s), 1);
}

void tst_PhoenixChannel::leaveWhileJoinInFlight()
{
    PhoenixHarness h;
    PhoenixChannel *ch = openChannel(h);
    PushOutcome join(ch->join());
    const PhoenixMessage sentJoin = h.transport->lastSent();
    PushOutcome leave(ch->leave());
    QCOMPARE(ch->state(), State::Leaving);
    QCOMPARE(join.count, 1);
    QCOMPARE(join.result, Result::Failed);
    const PhoenixMessage sentLeave = h.transport->lastSent();
    QCOMPARE(sentLeave.event, u"phx_leave"_s);
    QCOMPARE(sentLeave.joinRef, sentJoin.joinRef);
    // The join's late reply is ignored; the leave's reply completes it.
    h.transport->serverReply(sentJoin, u"ok"_s);
    QCOMPARE(ch->state(), State::Leaving);
    h.transport->serverReply(sentLeave, u"ok"_s);
    QCOMPARE(leave.result, Result::Ok);
    QCOMPARE(ch->state(), State::Closed);
}

void tst_PhoenixChannel::joinAfterLeaveFails()
{
    PhoenixHarness h;
    PhoenixChannel *ch = joinedChannel(h);
    ch->leave();
    PushOutcome join(ch->join());
    QTRY_COMPARE(join.count, 1);
    QCOMPARE(join.result, Result::Failed);
    QVERIFY(join.error.contains(u"PhoenixSocket::channel()"_s));
    QCOMPARE(sentCount(h, u"phx_join"_s), 1);
    // A fresh channel for the topic joins normally.
    PhoenixChannel *fresh = h.socket->channel(u"t"_s);
    QVERIFY(fresh != ch);
    fresh->join();
    QCOMPARE(sentCount(h, u"phx_join"_s), 2);
}

void tst_PhoenixChannel::socketDestroyedWithPendingWork()
{
    auto h = std::make_unique<PhoenixHarness>();
    h->open();
    PhoenixChannel *ch = h->socket->channel(u"t"_s);
    h->joinOk(ch);
    ch->push(u"in-flight"_s, 1);
    PhoenixChannel *other = h->socket->channel(u"u"_s);
    other->join();
    other->push(u"buffered"_s, 2);
    h->socket->channel(u"v"_s)->leave();
    h.reset(); // must not crash or fire anything late
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

void tst_PhoenixChannel::socketDropThenImmediateRejoin()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(0);
    PhoenixChannel *ch = joinedChannel(h, QJsonObject{{u"p"_s, u"v"_s}});
    const QString firstJoinRef = ch->joinRef();
    QSignalSpy stateSpy(ch, &PhoenixChannel::stateChanged);
    QSignalSpy errored(ch, &PhoenixChannel::errored);
    QSignalSpy joined(ch, &PhoenixChannel::joined);
    h.transport->serverClose();
    QCOMPARE(ch->state(), State::Errored);
    QCOMPARE(errored.size(), 1);
    h.scheduler->advance(10);
    QCOMPARE(sentCount(h, u"phx_join"_s), 1);
    h.transport->serverOpen();
    // Rejoined at once, not after a rejoin rung.
    const QList<PhoenixMessage> joins = h.transport->sent(u"phx_join"_s);
    QCOMPARE(joins.size(), 2);
    QCOMPARE(joins.at(1).payload, QJsonValue(QJsonObject{{u"p"_s, u"v"_s}}));
    QVERIFY(joins.at(1).joinRef != firstJoinRef);
    h.transport->serverReply(joins.at(1), u"ok"_s);
    QCOMPARE(joined.size(), 1);
    QCOMPARE(states(stateSpy), (QList<State>{State::Errored, State::Joining, State::Joined}));
}

void tst_PhoenixChannel::rejoinTimerDisarmedWhileSocketDown()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(0);
    PhoenixChannel *ch = openChannel(h);
    ch->join();
    h.transport->serverReply(h.transport->lastSent(), u"error"_s); // rejoin armed (1000 ms)
    h.transport->serverClose();
    // Only the socket's reconnect timer remains.
    QCOMPARE(h.scheduler->pendingDelays(), (QList<qint64>{10}));
    h.scheduler->advance(10);
    QCOMPARE(sentCount(h, u"phx_join"_s), 1);
    h.transport->serverOpen();
    QCOMPARE(sentCount(h, u"phx_join"_s), 2);
    // The join in flight when the socket dropped is re-sent on reopen, never doubled.
    h.transport->serverClose();
    h.scheduler->advance(10);
    h.transport->serverOpen();
    QCOMPARE(sentCount(h, u"phx_join"_s), 3);
    QCOMPARE(ch->state(), State::Joining);
}

void tst_PhoenixChannel::deliberateDisconnectErrorsChannels()
{
    PhoenixHarness h;
    PhoenixChannel *ch = joinedChannel(h);
    QSignalSpy errored(ch, &PhoenixChannel::errored);
    h.socket->disconnectFromServer();
    QCOMPARE(ch->state(), State::Errored);
    QCOMPARE(errored.size(), 1);
    h.scheduler->advance(60000);
    QCOMPARE(sentCount(h, u"phx_join"_s), 1);
    // Reconnecting later rejoins it.
    h.socket->connectToServer();
    h.transport->serverOpen();
    QCOMPARE(sentCount(h, u"phx_join"_s), 2);
}

void tst_PhoenixChannel::staleJoinRefDropped()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(0);
    PhoenixChannel *ch = joinedChannel(h);
    const QString first = ch->joinRef();
    QSignalSpy messages(ch, &PhoenixChannel::messageReceived);
    PhoenixLogCapture log;
    h.transport->serverMessage(u"999"_s, QString(), u"t"_s, u"patch"_s, 1);
    QCOMPARE(messages.size(), 0);
    QVERIFY(log.contains(u"stale join_ref"_s));
    h.transport->serverMessage(u""_s, QString(), u"t"_s, u"patch"_s, 1);
    QCOMPARE(messages.size(), 0);
    h.transport->serverMessage(QString(), QString(), u"t"_s, u"patch"_s, 2);
    h.transport->serverMessage(first, QString(), u"t"_s, u"patch"_s, 3);
    QCOMPARE(messages.size(), 2);
    // A stale phx_error does not take the channel down.
    h.transport->serverMessage(u"999"_s, QString(), u"t"_s, u"phx_error"_s, QJsonObject());
    QCOMPARE(ch->state(), State::Joined);
    // After a rejoin, the previous incarnation's messages are stale.
    h.transport->serverMessage(first, QString(), u"t"_s, u"phx_error"_s, QJsonObject());
    h.scheduler->advance(1000);
    h.transport->serverReply(h.transport->lastSent(), u"ok"_s);
    QVERIFY(ch->joinRef() != first);
    h.transport->serverMessage(first, QString(), u"t"_s, u"patch"_s, 4);
    QCOMPARE(messages.size(), 2);
    h.transport->serverMessage(ch->joinRef(), QString(), u"t"_s, u"patch"_s, 5);
    QCOMPARE(messages.size(), 3);
    QCOMPARE(messages.last().at(1).toJsonValue(), QJsonValue(5));
}

void tst_PhoenixChannel::duplicateJoinPrevented()
{
    PhoenixHarness h;
    PhoenixChannel *ch = openChannel(h);
    PhoenixPush *a = ch->join();
    PhoenixPush *b = h.socket->channel(u"t"_s)->join();
    QCOMPARE(a, b);
    QCOMPARE(sentCount(h, u"phx_join"_s), 1);
    h.transport->serverReply(h.transport->lastSent(), u"ok"_s, QJsonObject{{u"n"_s, 1}});
    // join() on a joined channel answers at once without a wire join.
    PushOutcome again(ch->join());
    QTRY_COMPARE(again.count, 1);
    QCOMPARE(again.result, Result::Ok);
    QCOMPARE(again.response, QJsonValue(QJsonObject{{u"n"_s, 1}}));
    QCOMPARE(sentCount(h, u"phx_join"_s), 1);
    // During a rejoin wait, join() rejoins now (still one join in flight).
    serverSends(h, ch, u"phx_error"_s);
    ch->join();
    ch->join();
    QCOMPARE(sentCount(h, u"phx_join"_s), 2);
    h.scheduler->advance(1000); // the cancelled rejoin timer sends nothing
    QCOMPARE(sentCount(h, u"phx_join"_s), 2);
}

void tst_PhoenixChannel::pushReplies_data()
{
    QTest::addColumn<QJsonObject>("reply");
    QTest::addColumn<Result>("result");
    QTest::addColumn<QJsonValue>("response");
    QTest::newRow("ok") << QJsonObject{{u"status"_s, u"ok"_s},
                                       {u"response"_s, QJsonObject{{u"v"_s, 1}}}}
                        << Result::Ok << QJsonValue(QJsonObject{{u"v"_s, 1}});
    QTest::newRow("error") << QJsonObject{{u"status"_s, u"error"_s},
                                          {u"response"_s, QJsonObject{{u"reason"_s, u"x"_s}}}}
                           << Result::Error << QJsonValue(QJsonObject{{u"reason"_s, u"x"_s}});
    QTest::newRow("missing response is null")
            << QJsonObject{{u"status"_s, u"ok"_s}} << Result::Ok << QJsonValue(QJsonValue::Null);
    QTest::newRow("unknown status: abandoned as a timeout")
            << QJsonObject{{u"status"_s, u"weird"_s}} << Result::Timeout << QJsonValue();
}

void tst_PhoenixChannel::pushReplies()
{
    QFETCH(QJsonObject, reply);
    QFETCH(Result, result);
    QFETCH(QJsonValue, response);
    PhoenixHarness h;
    PhoenixChannel *ch = joinedChannel(h);
    PhoenixPush *push = ch->push(u"command"_s, QJsonObject{{u"name"_s, u"inc"_s}});
    PushOutcome outcome(push);
    const PhoenixMessage sent = h.transport->lastSent();
    QCOMPARE(sent.event, u"command"_s);
    QCOMPARE(sent.joinRef, ch->joinRef());
    QCOMPARE(push->ref(), sent.ref);
    QCOMPARE(push->eventName(), u"command"_s);
    QCOMPARE(sent.payload, QJsonValue(QJsonObject{{u"name"_s, u"inc"_s}}));
    h.transport->serverMessage(sent.joinRef, sent.ref, u"t"_s, u"phx_reply"_s, reply);
    QCOMPARE(outcome.count, 1);
    QCOMPARE(outcome.result, result);
    QCOMPARE(outcome.response, response);
    // A second reply to the same ref is dropped.
    PhoenixLogCapture log;
    h.transport->serverMessage(sent.joinRef, sent.ref, u"t"_s, u"phx_reply"_s, reply);
    QCOMPARE(outcome.count, 1);
    QVERIFY(log.contains(u"unknown ref"_s));
}

void tst_PhoenixChannel::pushTimeout()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(0);
    h.socket->setDefaultTimeout(3000);
    PhoenixChannel *ch = joinedChannel(h);
    PushOutcome byDefault(ch->push(u"a"_s, QJsonObject()));
    const PhoenixMessage sent = h.transport->lastSent();
    PushOutcome custom(ch->push(u"b"_s, QJsonObject(), 500));
    h.scheduler->advance(500);
    QCOMPARE(custom.result, Result::Timeout);
    QCOMPARE(custom.count, 1);
    QCOMPARE(byDefault.count, 0);
    h.scheduler->advance(2500);
    QCOMPARE(byDefault.count, 1);
    QCOMPARE(byDefault.result, Result::Timeout);
    QVERIFY(!byDefault.error.isEmpty());
    // The late reply is dropped.
    h.transport->serverReply(sent, u"ok"_s);
    QCOMPARE(byDefault.count, 1);
    QCOMPARE(ch->state(), State::Joined);
}

void tst_PhoenixChannel::pushFailsOnSocketDrop()
{
    PhoenixHarness h;
    PhoenixChannel *ch = joinedChannel(h);
    PushOutcome push(ch->push(u"a"_s, QJsonObject()));
    h.transport->serverClose();
    QCOMPARE(push.count, 1);
    QCOMPARE(push.result, Result::Failed);
    QVERIFY(push.error.contains(u"connection lost"_s));
}

void tst_PhoenixChannel::bufferedUntilJoined()
{
    PhoenixHarness h;
    h.socket->connectToServer();
    PhoenixChannel *ch = h.socket->channel(u"t"_s);
    ch->join();
    PushOutcome p1(ch->push(u"one"_s, 1));
    PushOutcome p2(ch->push(u"two"_s, 2));
    QCOMPARE(ch->bufferedCount(), 2);
    h.transport->serverOpen();
    QCOMPARE(h.transport->sent().size(), 1); // only the join
    h.transport->serverReply(h.transport->lastSent(), u"ok"_s);
    const QList<PhoenixMessage> sent = h.transport->sent();
    QCOMPARE(sent.size(), 3);
    QCOMPARE(sent.at(1).event, u"one"_s);
    QCOMPARE(sent.at(2).event, u"two"_s);
    QCOMPARE(sent.at(1).joinRef, ch->joinRef());
    QCOMPARE(ch->bufferedCount(), 0);
    h.transport->serverReply(sent.at(2), u"ok"_s, 22);
    h.transport->serverReply(sent.at(1), u"ok"_s, 11);
    QCOMPARE(p1.response, QJsonValue(11));
    QCOMPARE(p2.response, QJsonValue(22));
}

void tst_PhoenixChannel::bufferedPushTimesOutAndIsNeverSent()
{
    PhoenixHarness h;
    h.socket->setHeartbeatInterval(0);
    h.socket->connectToServer();
    PhoenixChannel *ch = h.socket->channel(u"t"_s);
    ch->join();
    PushOutcome early(ch->push(u"early"_s, 1, 1000));
    h.scheduler->advance(600);
    PushOutcome later(ch->push(u"later"_s, 2, 1000));
    h.scheduler->advance(400); // early's timeout ran while buffered
    QCOMPARE(early.count, 1);
    QCOMPARE(early.result, Result::Timeout);
    QVERIFY(early.error.contains(u"before it could be sent"_s));
    QCOMPARE(ch->bufferedCount(), 1);
    h.transport->serverOpen();
    h.transport->serverReply(h.transport->lastSent(), u"ok"_s);
    QCOMPARE(sentCount(h, u"early"_s), 0);
    QCOMPARE(sentCount(h, u"later"_s), 1);
    // Its timeout kept counting from creation.
    h.scheduler->advance(600);
    QCOMPARE(later.result, Result::Timeout);
}

void tst_PhoenixChannel::bufferOverflowFails()
{
    PhoenixHarness h;
    PhoenixChannel *ch = h.socket->channel(u"t"_s);
    for (int i = 0; i < PhoenixChannel::MaxBufferedPushes; ++i)
        ch->push(u"e"_s, i);
    QCOMPARE(ch->bufferedCount(), 256);
    PushOutcome overflow(ch->push(u"e"_s, 256));
    QCOMPARE(overflow.count, 0); // never reported synchronously
    QTRY_COMPARE(overflow.count, 1);
    QCOMPARE(overflow.result, Result::Failed);
    QVERIFY2(overflow.error.contains(u"buffer full"_s), qPrintable(overflow.error));
    QCOMPARE(ch->bufferedCount(), 256);
}

void tst_PhoenixChannel::pushOnLeavingChannelFails()
{
    PhoenixHarness h;
    PhoenixChannel *ch = joinedChannel(h);
    ch->leave();
    PushOutcome push(ch->push(u"e"_s, 1));
    QTRY_COMPARE(push.count, 1);
    QCOMPARE(push.result, Result::Failed);
    QCOMPARE(sentCount(h, u"e"_s), 0);
}

void tst_PhoenixChannel::pushBinary()
{
    PhoenixHarness h;
    h.open();
    PhoenixChannel *ch = h.socket->channel(u"up:1"_s);
    h.joinOk(ch);
    const QByteArray data("\x00\x01\x02\xff", 4);
    PhoenixPush *push = ch->pushBinary(u"chunk"_s, data);
    PushOutcome outcome(push);
    QCOMPARE(h.transport->sentBinary.size(), 1);
    PhoenixMessage expected{ch->joinRef(), push->ref(), u"up:1"_s, u"chunk"_s, {}, data, true};
    QCOMPARE(h.transport->sentBinary.at(0), PhoenixSerializer::encodeBinaryPush(expected).value());
    // The reply to a binary push is an ordinary text reply.
    h.transport->serverMessage(ch->joinRef(), push->ref(), u"up:1"_s, u"phx_reply"_s,
                               QJsonObject{{u"status"_s, u"ok"_s}, {u"response"_s, QJsonObject()}});
    QCOMPARE(outcome.result, Result::Ok);
}

void tst_PhoenixChannel::pushBinaryRefusesLongHeaderFields()
{
    PhoenixHarness h;
    PhoenixChannel *ch = joinedChannel(h);
    PushOutcome longEvent(ch->pushBinary(QString(256, u'e'), QByteArray("x")));
    QTRY_COMPARE(longEvent.count, 1);
    QCOMPARE(longEvent.result, Result::Failed);
    QVERIFY2(longEvent.error.contains(u"event"_s), qPrintable(longEvent.error));
    PhoenixChannel *longTopic = h.socket->channel(QString(300, u't'));
    PushOutcome topicPush(longTopic->pushBinary(u"chunk"_s, QByteArray("x")));
    QTRY_COMPARE(topicPush.count, 1);
    QVERIFY2(topicPush.error.contains(u"topic"_s), qPrintable(topicPush.error));
    QCOMPARE(h.transport->sentBinary.size(), 0);
}

void tst_PhoenixChannel::inboundBinaryBroadcast()
{
    PhoenixHarness h;
    PhoenixChannel *ch = joinedChannel(h);
    QSignalSpy binary(ch, &PhoenixChannel::binaryMessageReceived);
    QSignalSpy messages(ch, &PhoenixChannel::messageReceived);
    QByteArray frame;
    frame.append(char(2)).append(char(1)).append(char(2)).append("tev").append("data");
    emit h.transport->binaryReceived(frame);
    QCOMPARE(binary.size(), 1);
    QCOMPARE(binary.at(0).at(0).toString(), u"ev"_s);
    QCOMPARE(binary.at(0).at(1).toByteArray(), QByteArray("data"));
    QCOMPARE(messages.size(), 0);
}

void tst_PhoenixChannel::serverPushDelivered()
{
    PhoenixHarness h;
    PhoenixChannel *ch = openChannel(h);
    QSignalSpy messages(ch, &PhoenixChannel::messageReceived);
    // Not joined: dropped.
    h.transport->serverMessage(QString(), QString(), u"t"_s, u"patch"_s, 0);
    QCOMPARE(messages.size(), 0);
    h.joinOk(ch);
    h.transport->serverMessage(ch->joinRef(), QString(), u"t"_s, u"patch"_s,
                               QJsonObject{{u"ops"_s, QJsonArray()}});
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.at(0).at(0).toString(), u"patch"_s);
    QCOMPARE(messages.at(0).at(1).toJsonValue(), QJsonValue(QJsonObject{{u"ops"_s, QJsonArray()}}));
}

QTEST_GUILESS_MAIN(tst_PhoenixChannel)
#include "tst_phoenixchannel.moc"
