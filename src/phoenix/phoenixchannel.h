// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "phoenixglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <memory>

#include "phoenixscheduler.h"

class PhoenixPush;
class PhoenixSocket;
struct PhoenixChannelPrivate;
struct PhoenixMessage;

/*!
    \class PhoenixChannel
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
class MUSUBI_PHOENIX_EXPORT PhoenixChannel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State { Closed, Joining, Joined, Leaving, Errored };
    Q_ENUM(State)

    //! Maximum number of pushes buffered while the channel is not joined.
    static constexpr int MaxBufferedPushes = 256;

    ~PhoenixChannel() override;

    QString topic() const;
    State state() const;
    //! join_ref of the current join attempt; empty when there is none.
    QString joinRef() const;
    PhoenixSocket *socket() const;

    //! Payload of every phx_join (first join and each rejoin).
    void setJoinPayload(const QJsonObject &payload);
    QJsonObject joinPayload() const;

    /*! Joins, and keeps rejoining until leave(). The push finishes with the
        outcome of the first join attempt; later attempts are reported by
        joined(), joinFailed() and joinTimedOut(). The timeout counts from when
        the phx_join is actually sent (the socket may not be open yet).
        Calling join() while a join is pending returns that same push. */
    PhoenixPush *join(int timeoutMs = -1);
    //! Sends (or buffers, while not joined) \a event with a JSON payload.
    PhoenixPush *push(const QString &event, const QJsonValue &payload, int timeoutMs = -1);
    //! Sends (or buffers) \a event as a binary frame; header fields above 255 bytes fail the push.
    PhoenixPush *pushBinary(const QString &event, const QByteArray &payload, int timeoutMs = -1);
    /*! Leaves: phx_leave (if joined, joining, or right after a refused join, as
        phoenix.js does), then Closed and closed(). No rejoin. The socket
        forgets the channel at once and deletes it later. */
    PhoenixPush *leave(int timeoutMs = -1);

    //! Rejoin delay for the \a attempt-th retry (0-based).
    static int rejoinDelay(int attempt);
    //! Number of pushes currently buffered.
    int bufferedCount() const;

Q_SIGNALS:
    //! Emitted on every state edge.
    void stateChanged(PhoenixChannel::State state, PhoenixChannel::State oldState);
    //! Every successful join: the first one and each rejoin. Buffered pushes are already sent.
    void joined(const QJsonValue &response);
    //! A join error reply (e.g. {"reason":"unauthorized"}); the channel rejoins unless leave() is called.
    void joinFailed(const QJsonValue &response);
    //! No join reply in time: phx_leave was sent for that join; the channel rejoins.
    void joinTimedOut();
    //! The joined (or joining) channel went down (phx_error or socket drop); it will rejoin.
    void errored(const QString &reason);
    //! The server closed the channel (phx_close; no rejoin), or leave() completed.
    void closed();
    //! A server push on this channel's current incarnation.
    void messageReceived(const QString &event, const QJsonValue &payload);
    //! A server binary push/broadcast (a Musubi server never sends one).
    void binaryMessageReceived(const QString &event, const QByteArray &payload);

private:
    friend class PhoenixSocket;
    friend class PhoenixPush;
    PhoenixChannel(PhoenixSocket *socket, const QString &topic, const QJsonObject &payload);

    void setState(State state);
    PhoenixPush *makePush(const QString &event, int timeoutMs);
    void enqueue(PhoenixPush *push);
    void sendPush(PhoenixPush *push);
    void sendJoin();
    void flushBuffer();
    void scheduleRejoin();
    void cancelRejoin();
    void socketOpened();
    void socketClosed(const QString &reason);
    void handleMessage(const PhoenixMessage &message);
    void handleReply(PhoenixPush *push, const QString &status, const QJsonValue &response);
    void pushTimedOut(PhoenixPush *push);
    void abandonSentJoin();
    void goErrored(const QString &reason);
    void failInFlight(const QString &reason);
    void failBuffered(const QString &reason);
    void finishLeave();
    void pushFinished(PhoenixPush *push);
    bool isLeaveRequested() const;

    std::unique_ptr<PhoenixChannelPrivate> d;
};
