// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixsocket.h"
#include "phoenixlogging_p.h"

#include "phoenixchannel.h"
#include "phoenixmessage.h"
#include "phoenixpush.h"
#include "phoenixscheduler.h"
#include "phoenixwebsockettransport.h"

#include <QtCore/QJsonObject>
#include <QtCore/QPointer>
#include <QtCore/QRandomGenerator>
#include <QtNetwork/QSslConfiguration>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

// phoenix.js / Rust ladder: fast first retries for blips, then a steady 5 s.
constexpr int kReconnectLadder[] = {10, 50, 100, 150, 200, 250, 500, 1000, 2000, 5000};
constexpr qint64 kDefaultMaxFrameSize = 16 * 1024 * 1024;

QByteArray percentEncode(const QString &text)
{
    // Everything outside the RFC 3986 unreserved set is escaped, like the Rust client.
    return text.toUtf8().toPercentEncoding(QByteArray(), QByteArrayLiteral("-_.~"));
}

QString paramText(const QVariant &value)
{
    if (value.typeId() == QMetaType::Bool)
        return value.toBool() ? u"true"_s : u"false"_s;
    return value.toString();
}

} // namespace

/*!
    \class PhoenixSocket
    \inmodule MusubiPhoenix
    \inheaderfile phoenixsocket.h
    \brief A Phoenix Channels v2 socket: connection, heartbeat, reconnect, channel registry.

    The socket connects to endpointUrl(), keeps the connection alive with a
    heartbeat on topic \c phoenix and reconnects with a backoff ladder (10, 50,
    100, 150, 200, 250, 500, 1000, 2000 ms, then 5000 ms, each plus up to 25 %
    jitter) until disconnectFromServer() is called, or until the server
    refuses the upgrade with an unauthorized HTTP status
    (setUnauthorizedStatusCodes()). A params provider (setParamsProvider()) is
    consulted before every attempt. Channels are created with channel(); the
    socket owns them and rejoins them whenever it reopens.

    Time, jitter and transport are injectable (setScheduler(),
    setRandomSource(), setTransport()) so every timed behaviour is testable
    without sleeping.

    \sa PhoenixChannel, PhoenixPush, PhoenixTransport, PhoenixScheduler
*/

/*!
    \enum PhoenixSocket::Status

    The connection state of the socket.

    \value Connecting Not open yet since connectToServer(); failed attempts
           stay here (with reconnects along the ladder).
    \value Open Connected.
    \value Reconnecting The connection dropped after having been open; retrying.
    \value Closed Not connected and not trying (initial, and after
           disconnectFromServer()).
    \value Unauthorized The server refused the upgrade with one of
           unauthorizedStatusCodes(); not trying until connectToServer().
*/

/*!
    \property PhoenixSocket::status
    \brief the connection state of the socket.

    statusChanged() is emitted once per edge.

    \sa isOpen()
*/

/*!
    \fn void PhoenixSocket::statusChanged(Status status, Status oldStatus)

    Emitted on every status edge, once per edge, from \a oldStatus to \a status.
*/

/*!
    \fn void PhoenixSocket::opened()

    Emitted when the connection is open (the first open and every
    reconnect). Channels rejoin right after.
*/

/*!
    \fn void PhoenixSocket::closed()

    Emitted when an open connection ended: it dropped, its heartbeat timed
    out, or disconnectFromServer() was called. A failed attempt that never
    opened emits nothing.
*/

/*!
    \fn void PhoenixSocket::errorOccurred(const QString &message)

    Emitted with \a message for a transport failure (refused connection, TLS
    error, oversized message), a refused upgrade, or "heartbeat timeout".
    Informational: reconnecting is automatic (status() tells when it stops).
*/

/*!
    \fn void PhoenixSocket::upgradeRefused(int statusCode, const QString &reasonPhrase)

    Emitted when the server answered the upgrade with HTTP \a statusCode and
    \a reasonPhrase instead of switching protocols (every such refusal,
    unauthorized or not). errorOccurred() carries the same as text.

    \sa setUnauthorizedStatusCodes()
*/

struct PhoenixSocket::Private
{
    QUrl url;
    QVariantMap params;
    std::function<QVariantMap()> paramsProvider;
    QList<int> unauthorizedCodes{401, 403};
    int refusedStatus = 0; // HTTP status of the current attempt's refused upgrade
    QSslConfiguration ssl;
    bool hasSsl = false;
    int heartbeatInterval = 30000;
    int defaultTimeout = 10000;
    qint64 maxFrameSize = kDefaultMaxFrameSize;
    PhoenixTransport *transport = nullptr;
    PhoenixScheduler *scheduler = nullptr;
    std::function<double()> random;

    Status status = Status::Closed;
    bool transportActive = false; // open() called, no close/closed since
    bool everOpened = false; // since the last connectToServer()
    bool connected = false; // transport reported opened()
    qint64 frameSize = 0; // bytes of the frame being dispatched, 0 outside a dispatch
    int reconnectAttempts = 0;
    PhoenixScheduler::TimerId reconnectTimer = 0;
    PhoenixScheduler::TimerId heartbeatTimer = 0;
    QString pendingHeartbeat;
    quint64 refCounter = 0;
    quint64 connection = 0; // bumped on every open, to discard stale deferred checks

    QList<PhoenixChannel *> channels; // including channels being left
    QHash<QString, QPointer<PhoenixPush>> replies;
};

/*!
    Constructs a closed socket with \a parent. It uses a PhoenixTimerScheduler
    and QRandomGenerator::global() for jitter, and creates a
    PhoenixWebSocketTransport on the first connection attempt unless
    setTransport() was called.
*/

PhoenixSocket::PhoenixSocket(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->scheduler = new PhoenixTimerScheduler(this);
    d->random = [] {
        return QRandomGenerator::global()->generateDouble();
    };
}

/*!
    Destroys the socket with its channels (and their pushes), and closes
    the transport.
*/

PhoenixSocket::~PhoenixSocket()
{
    // Channels (and their pushes) cancel timers on the scheduler: delete them
    // while it still exists.
    const QList<PhoenixChannel *> channels = d->channels;
    d->channels.clear();
    qDeleteAll(channels);
    if (d->transport) {
        d->transport->disconnect(this);
        d->transport->close();
        delete d->transport;
    }
    delete d->scheduler;
}

/*!
    Sets the base URL to \a url, e.g. \c{ws://127.0.0.1:4000/socket}; a
    trailing '/' is ignored. It is read on every connection attempt.

    \sa endpointUrl()
*/

void PhoenixSocket::setUrl(const QUrl &url)
{
    d->url = url;
}

/*!
    Returns the base URL.

    \sa setUrl()
*/

QUrl PhoenixSocket::url() const
{
    return d->url;
}

/*!
    Sets the connect params to \a params, sent as query items (sorted by
    key) of every connection attempt. Auth belongs here, or in a params
    provider for credentials that expire.

    \sa setParamsProvider(), endpointUrl()
*/

void PhoenixSocket::setParams(const QVariantMap &params)
{
    d->params = params;
}

/*!
    Returns the static connect params.

    \sa setParams()
*/

QVariantMap PhoenixSocket::params() const
{
    return d->params;
}

/*!
    Sets \a provider, a function called before every connection attempt (the
    first one and every reconnect), like phoenix.js's \c params function. Its
    result is merged over params(): its keys win, the other static params
    stay. Use it for credentials that expire (a token refreshed between
    attempts). An empty function removes the provider.

    The provider may call disconnectFromServer(); the attempt is then
    abandoned.
*/

void PhoenixSocket::setParamsProvider(std::function<QVariantMap()> provider)
{
    d->paramsProvider = std::move(provider);
}

/*!
    Sets the HTTP statuses that end the reconnect loop to \a codes (default
    401 and 403). When the server answers the upgrade with one of them the
    socket becomes \c Unauthorized and waits for connectToServer(). Other
    refusals (e.g. 500) and network failures keep retrying.

    \sa upgradeRefused()
*/

void PhoenixSocket::setUnauthorizedStatusCodes(const QList<int> &codes)
{
    d->unauthorizedCodes = codes;
}

/*!
    Returns the HTTP statuses of a refused upgrade that end the reconnect loop.

    \sa setUnauthorizedStatusCodes()
*/

QList<int> PhoenixSocket::unauthorizedStatusCodes() const
{
    return d->unauthorizedCodes;
}

/*!
    Returns the URL the socket connects to:
    \c{<url>/websocket?vsn=2.0.0&<params>}, params percent-encoded outside
    \c{A-Za-z0-9-_.~} (booleans as \c true / \c false). Built from params()
    only; each attempt also merges the provider's result
    (setParamsProvider()).
*/

QUrl PhoenixSocket::endpointUrl() const
{
    return endpointUrlFor(d->url, d->params);
}

QUrl PhoenixSocket::endpointUrlFor(const QUrl &base, const QVariantMap &params)
{
    QUrl url = base;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + u"/websocket"_s);
    // QVariantMap iterates in key order: the params come out sorted.
    QByteArray query = QByteArrayLiteral("vsn=2.0.0");
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        query += '&';
        query += percentEncode(it.key());
        query += '=';
        query += percentEncode(paramText(it.value()));
    }
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    url.setFragment(QString());
    return url;
}

/*!
    Sets \a configuration as the TLS configuration passed to the transport
    for \c wss:// URLs, from the next connection attempt on. Without it the
    transport's default applies.
*/

void PhoenixSocket::setSslConfiguration(const QSslConfiguration &configuration)
{
    d->ssl = configuration;
    d->hasSsl = true;
}

/*!
    Sets the heartbeat period to \a ms milliseconds (default 30000); 0 or
    less disables the heartbeat. A heartbeat still unanswered when the next
    one is due ends the connection ("heartbeat timeout") and the socket
    reconnects. Applies from the next heartbeat on.
*/

void PhoenixSocket::setHeartbeatInterval(int ms)
{
    d->heartbeatInterval = ms;
}

/*!
    Returns the heartbeat period in milliseconds.

    \sa setHeartbeatInterval()
*/

int PhoenixSocket::heartbeatInterval() const
{
    return d->heartbeatInterval;
}

/*!
    Sets the reply timeout of joins and pushes made with a negative
    \c timeoutMs to \a ms milliseconds (default 10000).

    \sa PhoenixChannel::join(), PhoenixChannel::push()
*/

void PhoenixSocket::setDefaultTimeout(int ms)
{
    d->defaultTimeout = ms;
}

/*!
    Returns the reply timeout in milliseconds of joins and pushes made with
    a negative \c timeoutMs.

    \sa setDefaultTimeout()
*/

int PhoenixSocket::defaultTimeout() const
{
    return d->defaultTimeout;
}

/*!
    Sets the largest accepted incoming frame to \a bytes (default 16 MiB).
    Larger frames are dropped and logged under \c musubi.phoenix; the limit
    is also handed to the transport on the next connection attempt.
*/

void PhoenixSocket::setMaxFrameSize(qint64 bytes)
{
    d->maxFrameSize = bytes;
}

/*!
    Returns the largest accepted incoming frame in bytes.

    \sa setMaxFrameSize()
*/

qint64 PhoenixSocket::maxFrameSize() const
{
    return d->maxFrameSize;
}

/*!
    Replaces the transport with \a transport; the socket takes ownership and
    deletes the previous one. Only call while status() is \c Closed: a
    connection in progress is dropped (and a warning logged). Without a
    transport the socket creates a PhoenixWebSocketTransport on the next
    connection attempt.
*/

void PhoenixSocket::setTransport(PhoenixTransport *transport)
{
    if (transport == d->transport)
        return;
    if (d->transportActive)
        qCWarning(lcPhoenix) << "setTransport() while connected: the connection is dropped";
    if (d->transport) {
        d->transport->disconnect(this);
        d->transport->close();
        d->transport->deleteLater();
    }
    d->transport = transport;
    d->transportActive = false;
    d->connected = false;
    if (!transport)
        return;
    transport->setParent(this);
    connect(transport, &PhoenixTransport::opened, this, &PhoenixSocket::onTransportOpened);
    connect(transport, &PhoenixTransport::closed, this, &PhoenixSocket::onTransportClosed);
    connect(transport, &PhoenixTransport::textReceived, this, &PhoenixSocket::onTextReceived);
    connect(transport, &PhoenixTransport::binaryReceived, this, &PhoenixSocket::onBinaryReceived);
    connect(transport, &PhoenixTransport::upgradeRefused, this, &PhoenixSocket::onUpgradeRefused);
    connect(transport, &PhoenixTransport::errorOccurred, this, [this](const QString &message) {
        qCInfo(lcPhoenix) << "transport error:" << message;
        Q_EMIT errorOccurred(message);
    });
}

/*!
    Returns the transport, or null before the first connection attempt when
    none was set.

    \sa setTransport()
*/

PhoenixTransport *PhoenixSocket::transport() const
{
    return d->transport;
}

/*!
    Replaces the time source with \a scheduler; the socket takes ownership
    and deletes the previous one. A null \a scheduler is ignored. Call it
    before connecting or creating channels: timers armed on the previous
    scheduler are abandoned with it.
*/

void PhoenixSocket::setScheduler(PhoenixScheduler *scheduler)
{
    if (!scheduler || scheduler == d->scheduler)
        return;
    // Timers armed on the old scheduler are abandoned with it.
    d->reconnectTimer = 0;
    d->heartbeatTimer = 0;
    delete d->scheduler;
    d->scheduler = scheduler;
    scheduler->setParent(this);
}

/*!
    Returns the time source of the socket and its channels; never null.

    \sa setScheduler()
*/

PhoenixScheduler *PhoenixSocket::scheduler() const
{
    return d->scheduler;
}

/*!
    Sets the jitter source to \a random, a function returning values in
    [0, 1) (values outside are clamped). The default is
    QRandomGenerator::global(); an empty function is ignored.
*/

void PhoenixSocket::setRandomSource(std::function<double()> random)
{
    if (random)
        d->random = std::move(random);
}

/*!
    Starts connecting; does nothing if already open or trying. From
    \c Unauthorized it starts over, with fresh params from the provider.
*/

void PhoenixSocket::connectToServer()
{
    if (d->status != Status::Closed && d->status != Status::Unauthorized)
        return;
    d->everOpened = false;
    d->reconnectAttempts = 0;
    setStatus(Status::Connecting);
    openTransport();
}

/*!
    Closes the connection for good: no reconnect until connectToServer() is
    called again. Reconnect and heartbeat timers stop, every channel is told
    the socket went down (channels still joined rejoin on the next open),
    status() becomes \c Closed, and closed() is emitted if the connection
    was open.
*/

void PhoenixSocket::disconnectFromServer()
{
    if (d->status == Status::Closed)
        return;
    d->scheduler->cancel(d->reconnectTimer);
    d->reconnectTimer = 0;
    d->scheduler->cancel(d->heartbeatTimer);
    d->heartbeatTimer = 0;
    const bool wasOpen = d->connected;
    if (d->transport && d->transportActive)
        d->transport->close();
    d->transportActive = false;
    d->connected = false;
    d->pendingHeartbeat.clear();
    setStatus(Status::Closed);
    const QList<PhoenixChannel *> channels = d->channels;
    for (PhoenixChannel *channel : channels)
        channel->socketClosed(u"socket disconnected"_s);
    if (wasOpen)
        Q_EMIT closed();
}

PhoenixSocket::Status PhoenixSocket::status() const
{
    return d->status;
}

/*!
    Returns \c true while status() is \c Open.
*/

bool PhoenixSocket::isOpen() const
{
    return d->status == Status::Open;
}

/*!
    Returns the next value of the one socket-wide ref counter ("1", "2",
    ...), shared by heartbeats, joins and pushes.
*/

QString PhoenixSocket::makeRef()
{
    return QString::number(++d->refCounter);
}

/*!
    Returns THE channel for \a topic, creating it (with \a joinPayload) if
    none is alive. An existing channel keeps its own join payload unless
    \a joinPayload is non-empty. A channel on which PhoenixChannel::leave()
    was called is no longer returned. The socket owns the channel.
*/

PhoenixChannel *PhoenixSocket::channel(const QString &topic, const QJsonObject &joinPayload)
{
    for (PhoenixChannel *channel : std::as_const(d->channels)) {
        if (channel->topic() == topic && !channel->isLeaveRequested()) {
            if (!joinPayload.isEmpty())
                channel->setJoinPayload(joinPayload);
            return channel;
        }
    }
    auto *channel = new PhoenixChannel(this, topic, joinPayload);
    d->channels.append(channel);
    return channel;
}

/*!
    Returns every live channel (not including channels being left).
*/

QList<PhoenixChannel *> PhoenixSocket::channels() const
{
    QList<PhoenixChannel *> live;
    for (PhoenixChannel *channel : std::as_const(d->channels)) {
        if (!channel->isLeaveRequested())
            live.append(channel);
    }
    return live;
}

/*!
    Returns the reconnect delay in milliseconds, before jitter, of retry
    number \a attempt (0-based): 10, 50, 100, 150, 200, 250, 500, 1000,
    2000, then 5000 ms. The jitter adds up to 25 % of it.
*/

int PhoenixSocket::reconnectBaseDelay(int attempt)
{
    constexpr int rungs = int(std::size(kReconnectLadder));
    return kReconnectLadder[std::clamp(attempt, 0, rungs - 1)];
}

void PhoenixSocket::setStatus(Status status)
{
    if (status == d->status)
        return;
    const Status old = d->status;
    d->status = status;
    Q_EMIT statusChanged(status, old);
}

void PhoenixSocket::openTransport()
{
    if (!d->transport)
        setTransport(new PhoenixWebSocketTransport(this));
    if (d->hasSsl)
        d->transport->setSslConfiguration(d->ssl);
    d->transport->setMaxIncomingMessageSize(d->maxFrameSize);
    QVariantMap params = d->params;
    if (d->paramsProvider) {
        const QVariantMap provided = d->paramsProvider();
        // The provider may have closed the socket (or replaced the transport).
        if ((d->status != Status::Connecting && d->status != Status::Reconnecting) || !d->transport)
            return;
        for (auto it = provided.cbegin(); it != provided.cend(); ++it)
            params.insert(it.key(), it.value());
    }
    d->transportActive = true;
    d->connected = false;
    d->refusedStatus = 0;
    d->transport->open(endpointUrlFor(d->url, params));
}

void PhoenixSocket::onUpgradeRefused(int statusCode, const QString &reasonPhrase)
{
    if (!d->transportActive || d->connected)
        return;
    d->refusedStatus = statusCode;
    const QString message = reasonPhrase.isEmpty()
            ? u"connection refused: HTTP %1"_s.arg(statusCode)
            : u"connection refused: HTTP %1 %2"_s.arg(statusCode).arg(reasonPhrase);
    qCInfo(lcPhoenix) << "upgrade refused:" << statusCode << reasonPhrase;
    Q_EMIT upgradeRefused(statusCode, reasonPhrase);
    Q_EMIT errorOccurred(message);
}

void PhoenixSocket::onTransportOpened()
{
    if (!d->transportActive || d->connected)
        return;
    qCDebug(lcPhoenix) << "socket open";
    d->connected = true;
    ++d->connection;
    d->everOpened = true;
    d->reconnectAttempts = 0;
    // A heartbeat left pending by a previous connection must never count
    // against this one.
    d->pendingHeartbeat.clear();
    d->scheduler->cancel(d->heartbeatTimer);
    d->heartbeatTimer = 0;
    setStatus(Status::Open);
    armHeartbeat();
    Q_EMIT opened();
    const QList<PhoenixChannel *> channels = d->channels;
    for (PhoenixChannel *channel : channels) {
        if (d->channels.contains(channel) && isOpen())
            channel->socketOpened();
    }
}

void PhoenixSocket::onTransportClosed()
{
    if (!d->transportActive)
        return;
    if (!d->connected && d->refusedStatus > 0 && d->unauthorizedCodes.contains(d->refusedStatus)) {
        // Retrying with the same credentials cannot succeed: stop until the
        // application calls connectToServer() again.
        connectionLost(u"connection refused: HTTP %1"_s.arg(d->refusedStatus), false);
        return;
    }
    connectionLost(d->connected ? u"connection closed"_s : u"connection failed"_s);
}

void PhoenixSocket::connectionLost(const QString &reason, bool retry)
{
    qCInfo(lcPhoenix) << "socket down:" << reason;
    const bool wasOpen = d->connected;
    d->transportActive = false;
    d->connected = false;
    d->pendingHeartbeat.clear();
    d->scheduler->cancel(d->heartbeatTimer);
    d->heartbeatTimer = 0;
    d->scheduler->cancel(d->reconnectTimer);
    d->reconnectTimer = 0;
    setStatus(!retry                  ? Status::Unauthorized
                      : d->everOpened ? Status::Reconnecting
                                      : Status::Connecting);
    const QList<PhoenixChannel *> channels = d->channels;
    for (PhoenixChannel *channel : channels) {
        if (d->channels.contains(channel))
            channel->socketClosed(reason);
    }
    if (wasOpen)
        Q_EMIT closed();
    // A slot connected to closed() may have disconnected deliberately.
    if (d->status == Status::Connecting || d->status == Status::Reconnecting)
        scheduleReconnect();
}

void PhoenixSocket::scheduleReconnect()
{
    d->scheduler->cancel(d->reconnectTimer);
    const int base = reconnectBaseDelay(d->reconnectAttempts++);
    double r = d->random();
    r = std::clamp(r, 0.0, 1.0);
    const qint64 delay = base + qint64(base * 0.25 * r);
    qCDebug(lcPhoenix) << "reconnecting in" << delay << "ms";
    d->reconnectTimer = d->scheduler->schedule(delay, this, [this] {
        d->reconnectTimer = 0;
        if (d->status == Status::Connecting || d->status == Status::Reconnecting)
            openTransport();
    });
}

void PhoenixSocket::armHeartbeat()
{
    if (d->heartbeatInterval <= 0)
        return;
    d->heartbeatTimer =
            d->scheduler->schedule(d->heartbeatInterval, this, [this] { heartbeatTick(); });
}

void PhoenixSocket::heartbeatTick()
{
    d->heartbeatTimer = 0;
    if (!isOpen())
        return;
    if (!d->pendingHeartbeat.isEmpty()) {
        // Let frames that already arrived be read first (the reply may sit
        // unprocessed in the event queue), then decide.
        const quint64 connection = d->connection;
        const QString pending = d->pendingHeartbeat;
        d->heartbeatTimer = d->scheduler->schedule(0, this, [this, connection, pending] {
            d->heartbeatTimer = 0;
            if (!isOpen() || connection != d->connection)
                return;
            if (d->pendingHeartbeat != pending) {
                heartbeatTick();
                return;
            }
            qCWarning(lcPhoenix) << "heartbeat" << pending
                                 << "unanswered: connection considered dead";
            if (d->transport)
                d->transport->close();
            Q_EMIT errorOccurred(u"heartbeat timeout"_s);
            connectionLost(u"heartbeat timeout"_s);
        });
        return;
    }
    d->pendingHeartbeat = makeRef();
    PhoenixMessage heartbeat;
    heartbeat.ref = d->pendingHeartbeat;
    heartbeat.topic = u"phoenix"_s;
    heartbeat.event = u"heartbeat"_s;
    heartbeat.payload = QJsonObject();
    sendMessage(heartbeat);
    // Armed after the heartbeat was written (docs/protocol.md §1.5).
    armHeartbeat();
}

void PhoenixSocket::sendMessage(const PhoenixMessage &message)
{
    if (!d->transport || !d->connected)
        return;
    d->transport->sendText(PhoenixSerializer::encodeText(message));
}

bool PhoenixSocket::sendBinaryMessage(const PhoenixMessage &message, QString *error)
{
    const auto frame = PhoenixSerializer::encodeBinaryPush(message, error);
    if (!frame)
        return false;
    if (d->transport && d->connected)
        d->transport->sendBinary(*frame);
    return true;
}

void PhoenixSocket::registerReply(const QString &ref, PhoenixPush *push)
{
    d->replies.insert(ref, push);
}

void PhoenixSocket::unregisterReply(const QString &ref)
{
    if (!ref.isEmpty())
        d->replies.remove(ref);
}

void PhoenixSocket::forgetChannel(PhoenixChannel *channel)
{
    d->channels.removeAll(channel);
}

void PhoenixSocket::onTextReceived(const QByteArray &frame)
{
    if (!d->connected)
        return;
    if (d->maxFrameSize > 0 && frame.size() > d->maxFrameSize) {
        qCWarning(lcPhoenix) << "dropped a text frame of" << frame.size()
                             << "bytes: above the limit of" << d->maxFrameSize;
        return;
    }
    QString error;
    const auto message = PhoenixSerializer::decodeText(frame, &error);
    if (!message) {
        qCWarning(lcPhoenix) << "dropped a malformed frame:" << error;
        return;
    }
    const qint64 outer = std::exchange(d->frameSize, frame.size());
    QPointer<PhoenixSocket> guard(this);
    dispatch(*message);
    if (guard)
        d->frameSize = outer;
}

void PhoenixSocket::onBinaryReceived(const QByteArray &frame)
{
    if (!d->connected)
        return;
    if (d->maxFrameSize > 0 && frame.size() > d->maxFrameSize) {
        qCWarning(lcPhoenix) << "dropped a binary frame of" << frame.size()
                             << "bytes: above the limit of" << d->maxFrameSize;
        return;
    }
    QString error;
    const auto message = PhoenixSerializer::decodeBinary(frame, &error);
    if (!message) {
        qCWarning(lcPhoenix) << "dropped a malformed binary frame:" << error;
        return;
    }
    const qint64 outer = std::exchange(d->frameSize, frame.size());
    QPointer<PhoenixSocket> guard(this);
    dispatch(*message);
    if (guard)
        d->frameSize = outer;
}

/*!
    Returns the size in bytes of the frame whose message is being delivered
    (in a handler of a channel's \c messageReceived or a push's reply), or 0
    outside a delivery. Inspectors use it to show what an envelope cost on the
    wire.
*/
qint64 PhoenixSocket::currentFrameSize() const
{
    return d->frameSize;
}

void PhoenixSocket::dispatch(const PhoenixMessage &message)
{
    if (message.event == u"phx_reply") {
        const QJsonObject payload = message.payload.toObject();
        const QString status = payload.value(u"status").toString();
        const bool wellFormed =
                message.payload.isObject() && (status == u"ok" || status == u"error");

        if (message.topic == u"phoenix") {
            if (!message.ref.isEmpty() && message.ref == d->pendingHeartbeat) {
                d->pendingHeartbeat.clear();
                return;
            }
            qCInfo(lcPhoenix) << "dropped a phoenix reply to unknown ref" << message.ref;
            return;
        }
        QPointer<PhoenixPush> push = d->replies.value(message.ref);
        if (message.ref.isEmpty() || !push) {
            d->replies.remove(message.ref);
            qCInfo(lcPhoenix) << "dropped a reply to unknown ref" << message.ref << "on"
                              << message.topic;
            return;
        }
        if (push->topic() != message.topic) {
            qCWarning(lcPhoenix) << "dropped a reply to ref" << message.ref << "on" << message.topic
                                 << "(the push was on" << push->topic() << ")";
            return;
        }
        auto *channel = qobject_cast<PhoenixChannel *>(push->parent());
        if (!channel) {
            d->replies.remove(message.ref);
            return;
        }
        if (!wellFormed) {
            // Rust abandons the push; for a join that is a join timeout.
            qCWarning(lcPhoenix) << "malformed reply to ref" << message.ref << "on" << message.topic
                                 << ": treated as a timeout";
            channel->pushTimedOut(push);
            return;
        }
        if (message.isBinary)
            push->m_binaryResponse = message.binaryPayload;
        const QJsonValue response = payload.contains(u"response") ? payload.value(u"response")
                                                                  : QJsonValue(QJsonValue::Null);
        channel->handleReply(push, status, response);
        return;
    }

    if (message.topic == u"phoenix") {
        qCInfo(lcPhoenix) << "dropped unexpected event" << message.event << "on topic phoenix";
        return;
    }
    bool delivered = false;
    const QList<PhoenixChannel *> channels = d->channels;
    for (PhoenixChannel *channel : channels) {
        if (d->channels.contains(channel) && channel->topic() == message.topic) {
            delivered = true;
            channel->handleMessage(message);
        }
    }
    if (!delivered)
        qCInfo(lcPhoenix) << "dropped" << message.event << "for unknown topic" << message.topic;
}
