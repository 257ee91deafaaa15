// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "phoenixglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtCore/QVariantMap>

#include <functional>
#include <memory>

class QSslConfiguration;
class PhoenixChannel;
class PhoenixPush;
class PhoenixScheduler;
class PhoenixTransport;
struct PhoenixMessage;

/*!
    \class PhoenixSocket
    \brief A Phoenix Channels v2 socket: connection, heartbeat, reconnect, channel registry.

    The socket connects to endpointUrl(), keeps the connection alive with a
    heartbeat on topic \c phoenix and reconnects with a backoff ladder (10, 50,
    100, 150, 200, 250, 500, 1000, 2000 ms, then 5000 ms, each plus up to 25 %
    jitter) until disconnectFromServer() is called, or until the server
    refuses the upgrade with an unauthorized HTTP status
    (setUnauthorizedStatusCodes()). A params provider
    (setParamsProvider()) is consulted before every attempt. Channels are created with
    channel(); the socket owns them and rejoins them whenever it reopens.

    Time, jitter and transport are injectable (setScheduler(),
    setRandomSource(), setTransport()) so every timed behaviour is testable
    without sleeping.

    \sa PhoenixChannel, PhoenixPush, PhoenixTransport, PhoenixScheduler
*/
class MUSUBI_PHOENIX_EXPORT PhoenixSocket : public QObject
{
    Q_OBJECT
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
public:
    /*! Connecting: never opened yet since connectToServer() (failed attempts
        stay here). Open: connected. Reconnecting: the connection dropped after
        having been open; retrying. Closed: not connected and not trying.
        Unauthorized: the server refused the upgrade with one of
        unauthorizedStatusCodes(); not trying until connectToServer(). */
    enum class Status { Connecting, Open, Reconnecting, Closed, Unauthorized };
    Q_ENUM(Status)

    explicit PhoenixSocket(QObject *parent = nullptr);
    ~PhoenixSocket() override;

    //! Base URL, e.g. \c{ws://127.0.0.1:4000/socket}; a trailing '/' is ignored.
    void setUrl(const QUrl &url);
    QUrl url() const;
    //! Connect params, sent as query items (sorted by key). Auth belongs here.
    void setParams(const QVariantMap &params);
    QVariantMap params() const;
    /*! Sets a function called before every connection attempt (the first one
        and every reconnect), like phoenix.js's \c params function. Its result
        is merged over params(): its keys win, the other static params stay.
        Use it for credentials that expire (a token refreshed between
        attempts). An empty function removes the provider. */
    void setParamsProvider(std::function<QVariantMap()> provider);
    /*! \c{<url>/websocket?vsn=2.0.0&<params>}, params percent-encoded outside
        \c{A-Za-z0-9-_.~}. Built from params() only; each attempt also merges
        the provider's result (setParamsProvider()). */
    QUrl endpointUrl() const;
    /*! HTTP statuses that end the reconnect loop when the server answers the
        upgrade with them (default 401 and 403): the socket becomes
        \c Unauthorized and waits for connectToServer(). Other refusals
        (e.g. 500) and network failures keep retrying. */
    void setUnauthorizedStatusCodes(const QList<int> &codes);
    QList<int> unauthorizedStatusCodes() const;
    //! TLS configuration passed to the transport for \c wss:// URLs.
    void setSslConfiguration(const QSslConfiguration &configuration);
    //! Heartbeat period in ms (default 30000). 0 or less disables the heartbeat.
    void setHeartbeatInterval(int ms);
    int heartbeatInterval() const;
    //! Timeout of joins and pushes made with timeoutMs = -1 (default 10000).
    void setDefaultTimeout(int ms);
    int defaultTimeout() const;
    //! Largest accepted incoming frame (default 16 MiB); larger ones are refused and logged.
    void setMaxFrameSize(qint64 bytes);
    qint64 maxFrameSize() const;
    //! Replaces the transport (takes ownership). Only call while status() is Closed.
    void setTransport(PhoenixTransport *transport);
    PhoenixTransport *transport() const;
    //! Replaces the time source (takes ownership). Call before connecting or creating channels.
    void setScheduler(PhoenixScheduler *scheduler);
    PhoenixScheduler *scheduler() const;
    //! Jitter source returning values in [0, 1). Default: QRandomGenerator::global().
    void setRandomSource(std::function<double()> random);

    /*! Starts connecting; does nothing if already open or trying. From
        \c Unauthorized it starts over (fresh params from the provider). */
    void connectToServer();
    //! Closes the connection for good: no reconnect until connectToServer() is called again.
    void disconnectFromServer();

    Status status() const;
    bool isOpen() const;

    //! Next value of the one socket-wide ref counter ("1", "2", ...).
    QString makeRef();

    /*! Returns THE channel for \a topic, creating it (with \a joinPayload) if
        none is alive. An existing channel keeps its own join payload unless
        \a joinPayload is non-empty. A channel on which leave() was called is
        no longer returned. */
    PhoenixChannel *channel(const QString &topic, const QJsonObject &joinPayload = {});
    //! Every live channel (not including channels being left).
    QList<PhoenixChannel *> channels() const;

    //! Reconnect delay before jitter for the \a attempt-th retry (0-based).
    static int reconnectBaseDelay(int attempt);

Q_SIGNALS:
    //! Emitted on every status edge, once per edge.
    void statusChanged(PhoenixSocket::Status status, PhoenixSocket::Status oldStatus);
    //! The connection is open (first open and every reconnect); channels rejoin right after.
    void opened();
    //! An open connection ended (dropped, heartbeat timeout, or disconnectFromServer()).
    void closed();
    /*! A transport failure (refused connection, TLS error, oversized message)
        or "heartbeat timeout". Informational: reconnecting is automatic. */
    void errorOccurred(const QString &message);
    /*! The server answered the upgrade with HTTP \a statusCode and
        \a reasonPhrase instead of switching protocols (every such refusal,
        unauthorized or not); errorOccurred() carries the same as text. */
    void upgradeRefused(int statusCode, const QString &reasonPhrase);

private:
    friend class PhoenixChannel;
    friend class PhoenixPush;
    struct Private;
    std::unique_ptr<Private> d;

    void setStatus(Status status);
    void openTransport();
    void onTransportOpened();
    void onTransportClosed();
    void onTextReceived(const QByteArray &frame);
    void onBinaryReceived(const QByteArray &frame);
    void onUpgradeRefused(int statusCode, const QString &reasonPhrase);
    void dispatch(const PhoenixMessage &message);
    void connectionLost(const QString &reason, bool retry = true);
    static QUrl endpointUrlFor(const QUrl &base, const QVariantMap &params);
    void scheduleReconnect();
    void heartbeatTick();
    void armHeartbeat();
    void sendMessage(const PhoenixMessage &message);
    bool sendBinaryMessage(const PhoenixMessage &message, QString *error);
    void registerReply(const QString &ref, PhoenixPush *push);
    void unregisterReply(const QString &ref);
    void forgetChannel(PhoenixChannel *channel);
};
