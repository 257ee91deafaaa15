// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixlogging_p.h"
#include "phoenixchannel.h"

#include "phoenixmessage.h"
#include "phoenixpush.h"
#include "phoenixsocket.h"

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
// phoenix.js's rejoinAfterMs: a crashing channel must not hammer the server.
constexpr int kRejoinLadder[] = {1000, 2000, 5000, 10000};
} // namespace

PhoenixChannel::PhoenixChannel(PhoenixSocket *socket, const QString &topic,
                               const QJsonObject &payload)
    : QObject(socket)
    , m_socket(socket)
    , m_topic(topic)
    , m_joinPayload(payload)
{ }

PhoenixChannel::~PhoenixChannel()
{
    cancelRejoin();
    if (m_socket)
        m_socket->forgetChannel(this);
}

QString PhoenixChannel::topic() const
{
    return m_topic;
}

PhoenixChannel::State PhoenixChannel::state() const
{
    return m_state;
}

QString PhoenixChannel::joinRef() const
{
    return m_joinRef;
}

PhoenixSocket *PhoenixChannel::socket() const
{
    return m_socket;
}

void PhoenixChannel::setJoinPayload(const QJsonObject &payload)
{
    m_joinPayload = payload;
}

QJsonObject PhoenixChannel::joinPayload() const
{
    return m_joinPayload;
}

int PhoenixChannel::rejoinDelay(int attempt)
{
    constexpr int rungs = int(std::size(kRejoinLadder));
    return kRejoinLadder[std::clamp(attempt, 0, rungs - 1)];
}

int PhoenixChannel::bufferedCount() const
{
    return int(m_buffer.size());
}

void PhoenixChannel::setState(State state)
{
    if (state == m_state)
        return;
    const State old = m_state;
    m_state = state;
    Q_EMIT stateChanged(state, old);
}

PhoenixPush *PhoenixChannel::makePush(const QString &event, int timeoutMs)
{
    const int timeout = timeoutMs < 0 && m_socket ? m_socket->defaultTimeout() : timeoutMs;
    return new PhoenixPush(this, event, std::max(timeout, 0));
}

PhoenixPush *PhoenixChannel::join(int timeoutMs)
{
    if (m_leaveRequested || !m_socket) {
        PhoenixPush *push = makePush(u"phx_join"_s, timeoutMs);
        push->finishLater(
                PhoenixPush::Result::Failed, {},
                u"channel %1 was left; get a new one from PhoenixSocket::channel()"_s.arg(m_topic));
        return push;
    }
    // Never two joins in flight for one topic: a pending join is shared.
    if (m_joinPush)
        return m_joinPush;
    if (m_state == State::Joined) {
        PhoenixPush *push = makePush(u"phx_join"_s, timeoutMs);
        push->finishLater(PhoenixPush::Result::Ok, m_lastJoinResponse);
        return push;
    }
    m_wantJoined = true;
    m_joinTimeoutMs = timeoutMs;
    m_joinPush = makePush(u"phx_join"_s, timeoutMs);
    PhoenixPush *push = m_joinPush;
    cancelRejoin();
    if (m_socket->isOpen())
        sendJoin();
    else
        setState(State::Joining);
    return push;
}

void PhoenixChannel::sendJoin()
{
    if (!m_socket || !m_socket->isOpen() || !m_wantJoined || m_leaveRequested || m_joinSent)
        return;
    cancelRejoin();
    if (!m_joinPush)
        m_joinPush = makePush(u"phx_join"_s, m_joinTimeoutMs);
    PhoenixPush *push = m_joinPush;
    push->m_payload = m_joinPayload;
    push->m_ref = m_socket->makeRef();
    // A join's join_ref is its own ref (docs/protocol.md §1.2).
    m_joinRef = push->m_ref;
    m_refusedJoinRef.clear();
    push->m_joinRef = m_joinRef;
    push->m_sent = true;
    m_joinSent = true;
    m_socket->registerReply(push->m_ref, push);
    setState(State::Joining);
    PhoenixMessage message;
    message.joinRef = m_joinRef;
    message.ref = push->m_ref;
    message.topic = m_topic;
    message.event = u"phx_join"_s;
    message.payload = m_joinPayload;
    m_socket->sendMessage(message);
    push->startTimeout(m_socket->scheduler());
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
    probe.topic = m_topic;
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
    if (m_leaveRequested || !m_socket) {
        push->finishLater(
                PhoenixPush::Result::Failed, {},
                u"channel %1 is being left: push %2 not sent"_s.arg(m_topic, push->eventName()));
        return;
    }
    if (m_state == State::Joined && m_socket->isOpen()) {
        push->startTimeout(m_socket->scheduler());
        sendPush(push);
        return;
    }
    if (m_buffer.size() >= MaxBufferedPushes) {
        qCWarning(lcPhoenix) << "push buffer of" << m_topic << "is full: dropping"
                             << push->eventName();
        push->finishLater(PhoenixPush::Result::Failed, {},
                          u"push buffer full: %1 pushes already wait for channel %2 to join"_s.arg(
                                  QString::number(MaxBufferedPushes), m_topic));
        return;
    }
    m_buffer.append(push);
    // The timeout runs while buffered: a push that times out here is never sent.
    push->startTimeout(m_socket->scheduler());
}

void PhoenixChannel::sendPush(PhoenixPush *push)
{
    if (!push || push->m_finished || !m_socket)
        return;
    push->m_ref = m_socket->makeRef();
    push->m_joinRef = m_joinRef;
    PhoenixMessage message;
    message.joinRef = m_joinRef;
    message.ref = push->m_ref;
    message.topic = m_topic;
    message.event = push->m_event;
    if (push->m_binary) {
        message.isBinary = true;
        message.binaryPayload = push->m_binaryPayload;
        QString error;
        if (!m_socket->sendBinaryMessage(message, &error)) {
            qCWarning(lcPhoenix) << "binary push refused:" << error;
            push->finish(PhoenixPush::Result::Failed, {}, error);
            return;
        }
    } else {
        message.payload = push->m_payload;
        m_socket->sendMessage(message);
    }
    push->m_sent = true;
    m_socket->registerReply(push->m_ref, push);
    m_inFlight.append(push);
}

void PhoenixChannel::flushBuffer()
{
    while (!m_buffer.isEmpty() && m_state == State::Joined && m_socket && m_socket->isOpen()) {
        QPointer<PhoenixPush> push = m_buffer.takeFirst();
        if (push && !push->m_finished)
            sendPush(push);
    }
}

PhoenixPush *PhoenixChannel::leave(int timeoutMs)
{
    if (m_leaveRequested) {
        if (m_leavePush)
            return m_leavePush;
        PhoenixPush *push = makePush(u"phx_leave"_s, timeoutMs);
        push->finishLater(PhoenixPush::Result::Ok, {});
        return push;
    }
    // A refused join is left on the wire too (stamped with its join_ref), as phoenix.js
    // does: the server side of a half-started join is told to let go.
    const QString joinRef = m_state == State::Errored ? m_refusedJoinRef : m_joinRef;
    const bool onWire = m_socket && m_socket->isOpen()
            && (m_state == State::Joined || (m_state == State::Joining && m_joinSent)
                || (m_state == State::Errored && !m_refusedJoinRef.isEmpty()));
    m_refusedJoinRef.clear();
    m_leaveRequested = true;
    m_wantJoined = false;
    cancelRejoin();
    PhoenixPush *push = makePush(u"phx_leave"_s, timeoutMs);
    m_leavePush = push;
    failBuffered(u"channel %1 was left before the push was sent"_s.arg(m_topic));
    if (m_joinPush) {
        m_joinSent = false;
        m_joinPush->finish(PhoenixPush::Result::Failed, {},
                           u"channel %1 was left before the join completed"_s.arg(m_topic));
    }
    if (!onWire) {
        push->finishLater(PhoenixPush::Result::Ok, {});
        finishLeave();
        return push;
    }
    push->m_ref = m_socket->makeRef();
    push->m_joinRef = joinRef;
    push->m_sent = true;
    m_socket->registerReply(push->m_ref, push);
    setState(State::Leaving);
    PhoenixMessage message;
    message.joinRef = joinRef;
    message.ref = push->m_ref;
    message.topic = m_topic;
    message.event = u"phx_leave"_s;
    message.payload = QJsonObject();
    m_socket->sendMessage(message);
    push->startTimeout(m_socket->scheduler());
    return push;
}

void PhoenixChannel::finishLeave()
{
    if (m_leaveFinished)
        return;
    m_leaveFinished = true;
    if (m_leavePush && !m_leavePush->m_finished)
        m_leavePush->finish(PhoenixPush::Result::Ok, {});
    failInFlight(u"channel %1 was left before the reply"_s.arg(m_topic));
    failBuffered(u"channel %1 was left before the push was sent"_s.arg(m_topic));
    m_joinRef.clear();
    setState(State::Closed);
    if (m_socket)
        m_socket->forgetChannel(this);
    Q_EMIT closed();
    deleteLater();
}

void PhoenixChannel::pushFinished(PhoenixPush *push)
{
    m_buffer.removeAll(push);
    m_inFlight.removeAll(push);
    if (m_joinPush == push) {
        m_joinPush = nullptr;
        m_joinSent = false;
    }
    if (m_socket && push->m_sent)
        m_socket->unregisterReply(push->m_ref);
}

void PhoenixChannel::handleReply(PhoenixPush *push, const QString &status,
                                 const QJsonValue &response)
{
    const bool ok = status == u"ok";
    if (push == m_joinPush) {
        m_joinSent = false;
        if (ok) {
            m_rejoinAttempts = 0;
            m_lastJoinResponse = response;
            setState(State::Joined);
            // Buffered pushes go out before anything a joined() slot pushes.
            flushBuffer();
            push->finish(PhoenixPush::Result::Ok, response);
            if (m_state == State::Joined)
                Q_EMIT joined(response);
        } else {
            qCInfo(lcPhoenix) << "join of" << m_topic << "refused:" << response;
            m_refusedJoinRef = std::exchange(m_joinRef, QString());
            setState(State::Errored);
            scheduleRejoin();
            push->finish(PhoenixPush::Result::Error, response);
            Q_EMIT joinFailed(response);
        }
        return;
    }
    const PhoenixPush::Result result = ok ? PhoenixPush::Result::Ok : PhoenixPush::Result::Error;
    if (push == m_leavePush) {
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
    if (push == m_joinPush) {
        const QString abandoned = m_joinRef;
        const bool wasSent = m_joinSent;
        qCInfo(lcPhoenix) << "join of" << m_topic << "timed out";
        if (m_socket)
            m_socket->unregisterReply(push->m_ref);
        // Tell the server to drop a join that merely ran long, stamped with
        // the abandoned join_ref so it cannot hit a later incarnation.
        if (wasSent && m_socket && m_socket->isOpen()) {
            PhoenixMessage message;
            message.joinRef = abandoned;
            message.ref = m_socket->makeRef();
            message.topic = m_topic;
            message.event = u"phx_leave"_s;
            message.payload = QJsonObject();
            m_socket->sendMessage(message);
        }
        m_joinSent = false;
        m_joinRef.clear();
        setState(State::Errored);
        scheduleRejoin();
        push->finish(PhoenixPush::Result::Timeout, {},
                     u"no reply to the join of %1 in time"_s.arg(m_topic));
        Q_EMIT joinTimedOut();
        return;
    }
    const QString error = push->m_sent
            ? u"no reply to %1 on %2 in time"_s.arg(push->eventName(), m_topic)
            : u"%1 on %2 timed out before it could be sent"_s.arg(push->eventName(), m_topic);
    if (push == m_leavePush) {
        push->finish(PhoenixPush::Result::Timeout, {}, error);
        finishLeave();
        return;
    }
    push->finish(PhoenixPush::Result::Timeout, {}, error);
}

void PhoenixChannel::scheduleRejoin()
{
    cancelRejoin();
    if (!m_wantJoined || m_leaveRequested || !m_socket || !m_socket->isOpen())
        return;
    const int delay = rejoinDelay(m_rejoinAttempts++);
    qCDebug(lcPhoenix) << "rejoining" << m_topic << "in" << delay << "ms";
    m_rejoinTimer = m_socket->scheduler()->schedule(delay, this, [this] {
        m_rejoinTimer = 0;
        sendJoin();
    });
}

void PhoenixChannel::cancelRejoin()
{
    if (m_rejoinTimer && m_socket && m_socket->scheduler())
        m_socket->scheduler()->cancel(m_rejoinTimer);
    m_rejoinTimer = 0;
}

void PhoenixChannel::socketOpened()
{
    if (!m_wantJoined || m_leaveRequested || m_joinSent)
        return;
    // Rejoin at once after a reconnect; the ladder restarts.
    cancelRejoin();
    m_rejoinAttempts = 0;
    sendJoin();
}

void PhoenixChannel::socketClosed(const QString &reason)
{
    cancelRejoin();
    m_refusedJoinRef.clear(); // that server-side join is gone with the connection
    if (m_leaveRequested) {
        // The server drops the channel with the connection: the leave is done.
        finishLeave();
        return;
    }
    const bool wasLive = m_state == State::Joined || (m_state == State::Joining && m_joinSent);
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
    if (m_joinPush && m_joinSent) {
        if (m_socket)
            m_socket->unregisterReply(m_joinPush->m_ref);
        m_joinPush->cancelTimeout();
        m_joinPush->m_ref.clear();
        m_joinPush->m_sent = false;
    }
    m_joinSent = false;
    m_joinRef.clear();
}

void PhoenixChannel::goErrored(const QString &reason)
{
    abandonSentJoin();
    failInFlight(u"channel %1 crashed before the reply"_s.arg(m_topic));
    setState(State::Errored);
    scheduleRejoin();
    Q_EMIT errored(reason);
}

void PhoenixChannel::failInFlight(const QString &reason)
{
    const QList<QPointer<PhoenixPush>> pushes = m_inFlight;
    m_inFlight.clear();
    for (const QPointer<PhoenixPush> &push : pushes) {
        if (push && !push->m_finished)
            push->finish(PhoenixPush::Result::Failed, {}, reason);
    }
}

void PhoenixChannel::failBuffered(const QString &reason)
{
    const QList<QPointer<PhoenixPush>> pushes = m_buffer;
    m_buffer.clear();
    for (const QPointer<PhoenixPush> &push : pushes) {
        if (push && !push->m_finished)
            push->finish(PhoenixPush::Result::Failed, {}, reason);
    }
}

void PhoenixChannel::handleMessage(const PhoenixMessage &message)
{
    if (!message.joinRef.isNull() && (m_joinRef.isEmpty() || message.joinRef != m_joinRef)) {
        qCInfo(lcPhoenix) << "dropped" << message.event << "on" << m_topic << "from stale join_ref"
                          << message.joinRef << "(current:" << m_joinRef << ")";
        return;
    }
    if (m_state == State::Closed) {
        qCInfo(lcPhoenix) << "dropped" << message.event << "on closed channel" << m_topic;
        return;
    }
    if (message.event == u"phx_close") {
        if (m_leaveRequested) {
            // Our own leave: not an error.
            finishLeave();
            return;
        }
        qCInfo(lcPhoenix) << "channel" << m_topic << "closed by the server";
        m_wantJoined = false;
        cancelRejoin();
        if (m_joinPush) {
            m_joinSent = false;
            m_joinPush->finish(PhoenixPush::Result::Failed, {},
                               u"channel %1 was closed by the server"_s.arg(m_topic));
        }
        m_joinRef.clear();
        failInFlight(u"channel %1 was closed by the server"_s.arg(m_topic));
        failBuffered(u"channel %1 was closed by the server"_s.arg(m_topic));
        setState(State::Closed);
        Q_EMIT closed();
        return;
    }
    if (message.event == u"phx_error") {
        if (m_leaveRequested) {
            finishLeave();
            return;
        }
        if (m_state == State::Joined || (m_state == State::Joining && m_joinSent)) {
            qCInfo(lcPhoenix) << "channel" << m_topic << "crashed (phx_error)";
            goErrored(u"phx_error"_s);
        } else {
            qCInfo(lcPhoenix) << "dropped phx_error on" << m_topic << "in state" << m_state;
        }
        return;
    }
    if (message.event.startsWith(u"phx_")) {
        qCInfo(lcPhoenix) << "dropped unexpected lifecycle event" << message.event << "on"
                          << m_topic;
        return;
    }
    if (message.isBinary) {
        Q_EMIT binaryMessageReceived(message.event, message.binaryPayload);
        return;
    }
    Q_EMIT messageReceived(message.event, message.payload);
}
