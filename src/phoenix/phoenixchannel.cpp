// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixchannel.h"
#include "phoenixlogging_p.h"

#include "phoenixmessage.h"
#include "phoenixpush.h"
#include "phoenixsocket.h"

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

//! \internal The state of a PhoenixChannel.
struct PhoenixChannelPrivate
{
    QPointer<PhoenixSocket> socket;
    QString topic;
    QJsonObject joinPayload;
    PhoenixChannel::State state = PhoenixChannel::State::Closed;
    QString joinRef;
    QString refusedJoinRef; // of a join the server refused, until the next join
    QPointer<PhoenixPush> joinPush;
    QPointer<PhoenixPush> leavePush;
    QList<QPointer<PhoenixPush>> buffer;
    QList<QPointer<PhoenixPush>> inFlight;
    bool wantJoined = false;
    bool leaveRequested = false;
    bool joinSent = false;
    bool leaveFinished = false;
    int joinTimeoutMs = -1;
    QJsonValue lastJoinResponse;
    int rejoinAttempts = 0;
    PhoenixScheduler::TimerId rejoinTimer = 0;
};

namespace {
// phoenix.js's rejoinAfterMs: a crashing channel must not hammer the server.
constexpr int kRejoinLadder[] = {1000, 2000, 5000, 10000};
} // namespace

PhoenixChannel::PhoenixChannel(PhoenixSocket *socket, const QString &topic,
                               const QJsonObject &payload)
    : QObject(socket)
    , d(std::make_unique<PhoenixChannelPrivate>())
{
    d->socket = socket;
    d->topic = topic;
    d->joinPayload = payload;
}

bool PhoenixChannel::isLeaveRequested() const
{
    return d->leaveRequested;
}

PhoenixChannel::~PhoenixChannel()
{
    cancelRejoin();
    if (d->socket)
        d->socket->forgetChannel(this);
}

QString PhoenixChannel::topic() const
{
    return d->topic;
}

PhoenixChannel::State PhoenixChannel::state() const
{
    return d->state;
}

QString PhoenixChannel::joinRef() const
{
    return d->joinRef;
}

PhoenixSocket *PhoenixChannel::socket() const
{
    return d->socket;
}

void PhoenixChannel::setJoinPayload(const QJsonObject &payload)
{
    d->joinPayload = payload;
}

QJsonObject PhoenixChannel::joinPayload() const
{
    return d->joinPayload;
}

int PhoenixChannel::rejoinDelay(int attempt)
{
    constexpr int rungs = int(std::size(kRejoinLadder));
    return kRejoinLadder[std::clamp(attempt, 0, rungs - 1)];
}

int PhoenixChannel::bufferedCount() const
{
    return int(d->buffer.size());
}

void PhoenixChannel::setState(State state)
{
    if (state == d->state)
        return;
    const State old = d->state;
    d->state = state;
    Q_EMIT stateChanged(state, old);
}

PhoenixPush *PhoenixChannel::makePush(const QString &event, int timeoutMs)
{
    const int timeout = timeoutMs < 0 && d->socket ? d->socket->defaultTimeout() : timeoutMs;
    return new PhoenixPush(this, event, std::max(timeout, 0));
}

PhoenixPush *PhoenixChannel::join(int timeoutMs)
{
    if (d->leaveRequested || !d->socket) {
        PhoenixPush *push = makePush(u"phx_join"_s, timeoutMs);
        push->finishLater(PhoenixPush::Result::Failed, {},
                          u"channel %1 was left; get a new one from PhoenixSocket::channel()"_s.arg(
                                  d->topic));
        return push;
    }
    // Never two joins in flight for one topic: a pending join is shared.
    if (d->joinPush)
        return d->joinPush;
    if (d->state == State::Joined) {
        PhoenixPush *push = makePush(u"phx_join"_s, timeoutMs);
        push->finishLater(PhoenixPush::Result::Ok, d->lastJoinResponse);
        return push;
    }
    d->wantJoined = true;
    d->joinTimeoutMs = timeoutMs;
    d->joinPush = makePush(u"phx_join"_s, timeoutMs);
    PhoenixPush *push = d->joinPush;
    cancelRejoin();
    if (d->socket->isOpen())
        sendJoin();
    else
        setState(State::Joining);
    return push;
}

void PhoenixChannel::sendJoin()
{
    if (!d->socket || !d->socket->isOpen() || !d->wantJoined || d->leaveRequested || d->joinSent)
        return;
    cancelRejoin();
    if (!d->joinPush)
        d->joinPush = makePush(u"phx_join"_s, d->joinTimeoutMs);
    PhoenixPush *push = d->joinPush;
    push->m_payload = d->joinPayload;
    push->m_ref = d->socket->makeRef();
    // A join's join_ref is its own ref (docs/protocol.md §1.2).
    d->joinRef = push->m_ref;
    d->refusedJoinRef.clear();
    push->m_joinRef = d->joinRef;
    push->m_sent = true;
    d->joinSent = true;
    d->socket->registerReply(push->m_ref, push);
    setState(State::Joining);
    PhoenixMessage message;
    message.joinRef = d->joinRef;
    message.ref = push->m_ref;
    message.topic = d->topic;
    message.event = u"phx_join"_s;
    message.payload = d->joinPayload;
    d->socket->sendMessage(message);
    push->startTimeout(d->socket->scheduler());
}

PhoenixPush *PhoenixChannel::push(const QString &event, const QJsonValue &payload, int timeoutMs)
{
    PhoenixPush *push = makePush(event, timeoutMs);
    push->m_payload = payload;
    enqueue(push);
    return push;
}

PhoenixPush *PhoenixChannel::pushBinary(const QString &event, const QByteArray &payload,
                                        int timeoutMs)
{
    PhoenixPush *push = makePush(event, timeoutMs);
    push->m_binary = true;
    push->m_binaryPayload = payload;
    // Refuse oversized topic/event now rather than after buffering.
    PhoenixMessage probe;
    probe.topic = d->topic;
    probe.event = event;
    QString error;
    if (!PhoenixSerializer::encodeBinaryPush(probe, &error)) {
        push->finishLater(PhoenixPush::Result::Failed, {}, error);
        return push;
    }
    enqueue(push);
    return push;
}

void PhoenixChannel::enqueue(PhoenixPush *push)
{
    if (d->leaveRequested || !d->socket) {
        push->finishLater(
                PhoenixPush::Result::Failed, {},
                u"channel %1 is being left: push %2 not sent"_s.arg(d->topic, push->eventName()));
        return;
    }
    if (d->state == State::Joined && d->socket->isOpen()) {
        push->startTimeout(d->socket->scheduler());
        sendPush(push);
        return;
    }
    if (d->buffer.size() >= MaxBufferedPushes) {
        qCWarning(lcPhoenix) << "push buffer of" << d->topic << "is full: dropping"
                             << push->eventName();
        push->finishLater(PhoenixPush::Result::Failed, {},
                          u"push buffer full: %1 pushes already wait for channel %2 to join"_s.arg(
                                  QString::number(MaxBufferedPushes), d->topic));
        return;
    }
    d->buffer.append(push);
    // The timeout runs while buffered: a push that times out here is never sent.
    push->startTimeout(d->socket->scheduler());
}

void PhoenixChannel::sendPush(PhoenixPush *push)
{
    if (!push || push->m_finished || !d->socket)
        return;
    push->m_ref = d->socket->makeRef();
    push->m_joinRef = d->joinRef;
    PhoenixMessage message;
    message.joinRef = d->joinRef;
    message.ref = push->m_ref;
    message.topic = d->topic;
    message.event = push->m_event;
    if (push->m_binary) {
        message.isBinary = true;
        message.binaryPayload = push->m_binaryPayload;
        QString error;
        if (!d->socket->sendBinaryMessage(message, &error)) {
            qCWarning(lcPhoenix) << "binary push refused:" << error;
            push->finish(PhoenixPush::Result::Failed, {}, error);
            return;
        }
    } else {
        message.payload = push->m_payload;
        d->socket->sendMessage(message);
    }
    push->m_sent = true;
    d->socket->registerReply(push->m_ref, push);
    d->inFlight.append(push);
}

void PhoenixChannel::flushBuffer()
{
    while (!d->buffer.isEmpty() && d->state == State::Joined && d->socket && d->socket->isOpen()) {
        QPointer<PhoenixPush> push = d->buffer.takeFirst();
        if (push && !push->m_finished)
            sendPush(push);
    }
}

PhoenixPush *PhoenixChannel::leave(int timeoutMs)
{
    if (d->leaveRequested) {
        if (d->leavePush)
            return d->leavePush;
        PhoenixPush *push = makePush(u"phx_leave"_s, timeoutMs);
        push->finishLater(PhoenixPush::Result::Ok, {});
        return push;
    }
    // A refused join is left on the wire too (stamped with its join_ref), as phoenix.js
    // does: the server side of a half-started join is told to let go.
    const QString joinRef = d->state == State::Errored ? d->refusedJoinRef : d->joinRef;
    const bool onWire = d->socket && d->socket->isOpen()
            && (d->state == State::Joined || (d->state == State::Joining && d->joinSent)
                || (d->state == State::Errored && !d->refusedJoinRef.isEmpty()));
    d->refusedJoinRef.clear();
    d->leaveRequested = true;
    d->wantJoined = false;
    cancelRejoin();
    PhoenixPush *push = makePush(u"phx_leave"_s, timeoutMs);
    d->leavePush = push;
    failBuffered(u"channel %1 was left before the push was sent"_s.arg(d->topic));
    if (d->joinPush) {
        d->joinSent = false;
        d->joinPush->finish(PhoenixPush::Result::Failed, {},
                            u"channel %1 was left before the join completed"_s.arg(d->topic));
    }
    if (!onWire) {
        push->finishLater(PhoenixPush::Result::Ok, {});
        finishLeave();
        return push;
    }
    push->m_ref = d->socket->makeRef();
    push->m_joinRef = joinRef;
    push->m_sent = true;
    d->socket->registerReply(push->m_ref, push);
    setState(State::Leaving);
    PhoenixMessage message;
    message.joinRef = joinRef;
    message.ref = push->m_ref;
    message.topic = d->topic;
    message.event = u"phx_leave"_s;
    message.payload = QJsonObject();
    d->socket->sendMessage(message);
    push->startTimeout(d->socket->scheduler());
    return push;
}

void PhoenixChannel::finishLeave()
{
    if (d->leaveFinished)
        return;
    d->leaveFinished = true;
    if (d->leavePush && !d->leavePush->m_finished)
        d->leavePush->finish(PhoenixPush::Result::Ok, {});
    failInFlight(u"channel %1 was left before the reply"_s.arg(d->topic));
    failBuffered(u"channel %1 was left before the push was sent"_s.arg(d->topic));
    d->joinRef.clear();
    setState(State::Closed);
    if (d->socket)
        d->socket->forgetChannel(this);
    Q_EMIT closed();
    deleteLater();
}

void PhoenixChannel::pushFinished(PhoenixPush *push)
{
    d->buffer.removeAll(push);
    d->inFlight.removeAll(push);
    if (d->joinPush == push) {
        d->joinPush = nullptr;
        d->joinSent = false;
    }
    if (d->socket && push->m_sent)
        d->socket->unregisterReply(push->m_ref);
}

void PhoenixChannel::handleReply(PhoenixPush *push, const QString &status,
                                 const QJsonValue &response)
{
    const bool ok = status == u"ok";
    if (push == d->joinPush) {
        d->joinSent = false;
        if (ok) {
            d->rejoinAttempts = 0;
            d->lastJoinResponse = response;
            setState(State::Joined);
            // Buffered pushes go out before anything a joined() slot pushes.
            flushBuffer();
            push->finish(PhoenixPush::Result::Ok, response);
            if (d->state == State::Joined)
                Q_EMIT joined(response);
        } else {
            qCInfo(lcPhoenix) << "join of" << d->topic << "refused:" << response;
            d->refusedJoinRef = std::exchange(d->joinRef, QString());
            setState(State::Errored);
            scheduleRejoin();
            push->finish(PhoenixPush::Result::Error, response);
            Q_EMIT joinFailed(response);
        }
        return;
    }
    const PhoenixPush::Result result = ok ? PhoenixPush::Result::Ok : PhoenixPush::Result::Error;
    if (push == d->leavePush) {
        push->finish(result, response);
        finishLeave();
        return;
    }
    push->finish(result, response);
}

void PhoenixChannel::pushTimedOut(PhoenixPush *push)
{
    if (!push || push->m_finished)
        return;
    if (push == d->joinPush) {
        const QString abandoned = d->joinRef;
        const bool wasSent = d->joinSent;
        qCInfo(lcPhoenix) << "join of" << d->topic << "timed out";
        if (d->socket)
            d->socket->unregisterReply(push->m_ref);
        // Tell the server to drop a join that merely ran long, stamped with
        // the abandoned join_ref so it cannot hit a later incarnation.
        if (wasSent && d->socket && d->socket->isOpen()) {
            PhoenixMessage message;
            message.joinRef = abandoned;
            message.ref = d->socket->makeRef();
            message.topic = d->topic;
            message.event = u"phx_leave"_s;
            message.payload = QJsonObject();
            d->socket->sendMessage(message);
        }
        d->joinSent = false;
        d->joinRef.clear();
        setState(State::Errored);
        scheduleRejoin();
        push->finish(PhoenixPush::Result::Timeout, {},
                     u"no reply to the join of %1 in time"_s.arg(d->topic));
        Q_EMIT joinTimedOut();
        return;
    }
    const QString error = push->m_sent
            ? u"no reply to %1 on %2 in time"_s.arg(push->eventName(), d->topic)
            : u"%1 on %2 timed out before it could be sent"_s.arg(push->eventName(), d->topic);
    if (push == d->leavePush) {
        push->finish(PhoenixPush::Result::Timeout, {}, error);
        finishLeave();
        return;
    }
    push->finish(PhoenixPush::Result::Timeout, {}, error);
}

void PhoenixChannel::scheduleRejoin()
{
    cancelRejoin();
    if (!d->wantJoined || d->leaveRequested || !d->socket || !d->socket->isOpen())
        return;
    const int delay = rejoinDelay(d->rejoinAttempts++);
    qCDebug(lcPhoenix) << "rejoining" << d->topic << "in" << delay << "ms";
    d->rejoinTimer = d->socket->scheduler()->schedule(delay, this, [this] {
        d->rejoinTimer = 0;
        sendJoin();
    });
}

void PhoenixChannel::cancelRejoin()
{
    if (d->rejoinTimer && d->socket && d->socket->scheduler())
        d->socket->scheduler()->cancel(d->rejoinTimer);
    d->rejoinTimer = 0;
}

void PhoenixChannel::socketOpened()
{
    if (!d->wantJoined || d->leaveRequested || d->joinSent)
        return;
    // Rejoin at once after a reconnect; the ladder restarts.
    cancelRejoin();
    d->rejoinAttempts = 0;
    sendJoin();
}

void PhoenixChannel::socketClosed(const QString &reason)
{
    cancelRejoin();
    d->refusedJoinRef.clear(); // that server-side join is gone with the connection
    if (d->leaveRequested) {
        // The server drops the channel with the connection: the leave is done.
        finishLeave();
        return;
    }
    const bool wasLive = d->state == State::Joined || (d->state == State::Joining && d->joinSent);
    abandonSentJoin();
    failInFlight(u"connection lost before the reply (%1)"_s.arg(reason));
    if (wasLive) {
        setState(State::Errored);
        Q_EMIT errored(reason);
    }
}

// Forgets the incarnation whose join was sent. The join push itself stays: it is
// re-sent (same push, new ref) by the next rejoin.
void PhoenixChannel::abandonSentJoin()
{
    if (d->joinPush && d->joinSent) {
        if (d->socket)
            d->socket->unregisterReply(d->joinPush->m_ref);
        d->joinPush->cancelTimeout();
        d->joinPush->m_ref.clear();
        d->joinPush->m_sent = false;
    }
    d->joinSent = false;
    d->joinRef.clear();
}

void PhoenixChannel::goErrored(const QString &reason)
{
    abandonSentJoin();
    failInFlight(u"channel %1 crashed before the reply"_s.arg(d->topic));
    setState(State::Errored);
    scheduleRejoin();
    Q_EMIT errored(reason);
}

void PhoenixChannel::failInFlight(const QString &reason)
{
    const QList<QPointer<PhoenixPush>> pushes = d->inFlight;
    d->inFlight.clear();
    for (const QPointer<PhoenixPush> &push : pushes) {
        if (push && !push->m_finished)
            push->finish(PhoenixPush::Result::Failed, {}, reason);
    }
}

void PhoenixChannel::failBuffered(const QString &reason)
{
    const QList<QPointer<PhoenixPush>> pushes = d->buffer;
    d->buffer.clear();
    for (const QPointer<PhoenixPush> &push : pushes) {
        if (push && !push->m_finished)
            push->finish(PhoenixPush::Result::Failed, {}, reason);
    }
}

void PhoenixChannel::handleMessage(const PhoenixMessage &message)
{
    if (!message.joinRef.isNull() && (d->joinRef.isEmpty() || message.joinRef != d->joinRef)) {
        qCInfo(lcPhoenix) << "dropped" << message.event << "on" << d->topic << "from stale join_ref"
                          << message.joinRef << "(current:" << d->joinRef << ")";
        return;
    }
    if (d->state == State::Closed) {
        qCInfo(lcPhoenix) << "dropped" << message.event << "on closed channel" << d->topic;
        return;
    }
    if (message.event == u"phx_close") {
        if (d->leaveRequested) {
            // Our own leave: not an error.
            finishLeave();
            return;
        }
        qCInfo(lcPhoenix) << "channel" << d->topic << "closed by the server";
        d->wantJoined = false;
        cancelRejoin();
        if (d->joinPush) {
            d->joinSent = false;
            d->joinPush->finish(PhoenixPush::Result::Failed, {},
                                u"channel %1 was closed by the server"_s.arg(d->topic));
        }
        d->joinRef.clear();
        failInFlight(u"channel %1 was closed by the server"_s.arg(d->topic));
        failBuffered(u"channel %1 was closed by the server"_s.arg(d->topic));
        setState(State::Closed);
        Q_EMIT closed();
        return;
    }
    if (message.event == u"phx_error") {
        if (d->leaveRequested) {
            finishLeave();
            return;
        }
        if (d->state == State::Joined || (d->state == State::Joining && d->joinSent)) {
            qCInfo(lcPhoenix) << "channel" << d->topic << "crashed (phx_error)";
            goErrored(u"phx_error"_s);
        } else {
            qCInfo(lcPhoenix) << "dropped phx_error on" << d->topic << "in state" << d->state;
        }
        return;
    }
    if (message.event.startsWith(u"phx_")) {
        qCInfo(lcPhoenix) << "dropped unexpected lifecycle event" << message.event << "on"
                          << d->topic;
        return;
    }
    if (message.isBinary) {
        Q_EMIT binaryMessageReceived(message.event, message.binaryPayload);
        return;
    }
    Q_EMIT messageReceived(message.event, message.payload);
}
