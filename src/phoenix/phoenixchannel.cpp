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

/*!
    \class PhoenixChannel
    \inmodule MusubiPhoenix
    \inheaderfile phoenixchannel.h
    \brief One Phoenix channel (topic) on a PhoenixSocket.

    Create it with PhoenixSocket::channel(); the socket owns it. After join()
    the channel keeps itself joined: it rejoins (with the same join payload)
    immediately when the socket reopens, and after a join error, join timeout
    or \c phx_error along the ladder 1000, 2000, 5000 ms, then 10000 ms. Only
    leave() or a server \c phx_close end that.

    Pushes made while not joined are buffered (at most 256) and sent on the
    next successful join; their timeout runs from the moment they are made.

    \sa PhoenixSocket, PhoenixPush
*/

/*!
    \enum PhoenixChannel::State

    The life cycle of the channel.

    \value Closed Not joined, and not trying to be (initial, after leave() or a server \c
   phx_close). \value Joining A \c phx_join is sent or waits for the socket to open. \value Joined
   The server accepted the join; pushes are sent at once. \value Leaving leave() sent \c phx_leave
   and waits for its reply. \value Errored The channel went down (join refused or timed out, \c
   phx_error, socket drop); a rejoin is scheduled.
*/

/*!
    \property PhoenixChannel::state
    \brief the life cycle state of the channel.

    stateChanged() is emitted on every edge.
*/

/*!
    \variable PhoenixChannel::MaxBufferedPushes

    Maximum number of pushes buffered while the channel is not joined.
*/

/*!
    \fn void PhoenixChannel::stateChanged(PhoenixChannel::State state, PhoenixChannel::State
   oldState)

    Emitted on every state edge, from \a oldState to \a state.
*/

/*!
    \fn void PhoenixChannel::joined(const QJsonValue &response)

    Emitted on every successful join (the first one and each rejoin) with
    the server's \a response. Buffered pushes are already sent.
*/

/*!
    \fn void PhoenixChannel::joinFailed(const QJsonValue &response)

    Emitted when the server refuses a join with an error reply; \a response
    is its payload, e.g. \c{{"reason": "unauthorized"}}. The channel rejoins
    unless leave() is called.
*/

/*!
    \fn void PhoenixChannel::joinTimedOut()

    Emitted when a join got no reply in time: \c phx_leave was sent for that
    join, and the channel rejoins.
*/

/*!
    \fn void PhoenixChannel::errored(const QString &reason)

    Emitted when the joined (or joining) channel went down (\c phx_error or a
    socket drop) for \a reason; it will rejoin.
*/

/*!
    \fn void PhoenixChannel::closed()

    Emitted when the server closed the channel (\c phx_close; no rejoin), or
    when leave() completed.
*/

/*!
    \fn void PhoenixChannel::messageReceived(const QString &event, const QJsonValue &payload)

    Emitted for a server push of \a event with \a payload on this channel's
    current incarnation (pushes from an older join are dropped).
*/

/*!
    \fn void PhoenixChannel::binaryMessageReceived(const QString &event, const QByteArray &payload)

    Emitted for a server binary push or broadcast of \a event with the raw
    \a payload (a Musubi server never sends one).
*/

// The state of a PhoenixChannel.
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

/*!
    Returns the topic the channel was created for.
*/
QString PhoenixChannel::topic() const
{
    return d->topic;
}

PhoenixChannel::State PhoenixChannel::state() const
{
    return d->state;
}

/*!
    Returns the \c join_ref of the current join attempt; empty when there is none.
*/
QString PhoenixChannel::joinRef() const
{
    return d->joinRef;
}

/*!
    Returns the socket the channel belongs to; null once it is gone.
*/
PhoenixSocket *PhoenixChannel::socket() const
{
    return d->socket;
}

/*!
    Sets the payload of every \c phx_join (first join and each rejoin) to
    \a payload. It applies from the next join attempt on.

    \sa joinPayload()
*/
void PhoenixChannel::setJoinPayload(const QJsonObject &payload)
{
    d->joinPayload = payload;
}

/*!
    Returns the payload of every \c phx_join.

    \sa setJoinPayload()
*/
QJsonObject PhoenixChannel::joinPayload() const
{
    return d->joinPayload;
}

/*!
    Returns the rejoin delay in milliseconds before retry number \a attempt
    (0-based): 1000, 2000, 5000, then 10000 ms.
*/
int PhoenixChannel::rejoinDelay(int attempt)
{
    constexpr int rungs = int(std::size(kRejoinLadder));
    return kRejoinLadder[std::clamp(attempt, 0, rungs - 1)];
}

/*!
    Returns the number of pushes currently buffered.
*/
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

/*!
    Joins, and keeps rejoining until leave(). The push finishes with the
    outcome of the first join attempt; later attempts are reported by
    joined(), joinFailed() and joinTimedOut(). The timeout counts from when
    the phx_join is actually sent (the socket may not be open yet).
    Calling join() while a join is pending returns that same push.

    \a timeoutMs is the reply timeout of each join attempt; a negative value
    uses the socket's default timeout.
*/
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

/*!
    Sends (or buffers, while not joined) \a event with the JSON \a payload
    and returns the push that reports its outcome. \a timeoutMs is the reply
    timeout (negative: the socket's default); it runs from now, also while
    the push is buffered.
*/
PhoenixPush *PhoenixChannel::push(const QString &event, const QJsonValue &payload, int timeoutMs)
{
    PhoenixPush *push = makePush(event, timeoutMs);
    push->m_payload = payload;
    enqueue(push);
    return push;
}

/*!
    Sends (or buffers) \a event with the raw \a payload as a binary frame;
    header fields above 255 bytes fail the push. \a timeoutMs as for push().
*/
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

/*!
    Leaves: phx_leave (if joined, joining, or right after a refused join, as
    phoenix.js does), then Closed and closed(). No rejoin. The socket
    forgets the channel at once and deletes it later. \a timeoutMs is the
    timeout of the \c phx_leave reply (negative: the socket's default).
*/
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
