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
#include <QtCore/QRandomGenerator>
#include <QtNetwork/QSslConfiguration>

#include <algorithm>

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
    int reconnectAttempts = 0;
    PhoenixScheduler::TimerId reconnectTimer = 0;
    PhoenixScheduler::TimerId heartbeatTimer = 0;
    QString pendingHeartbeat;
    quint64 refCounter = 0;
    quint64 connection = 0; // bumped on every open, to discard stale deferred checks

    QList<PhoenixChannel *> channels; // including channels being left
    QHash<QString, QPointer<PhoenixPush>> replies;
};

PhoenixSocket::PhoenixSocket(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->scheduler = new PhoenixTimerScheduler(this);
    d->random = [] {
        return QRandomGenerator::global()->generateDouble();
    };
}

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

void PhoenixSocket::setUrl(const QUrl &url)
{
    d->url = url;
}

QUrl PhoenixSocket::url() const
{
    return d->url;
}

void PhoenixSocket::setParams(const QVariantMap &params)
{
    d->params = params;
}

QVariantMap PhoenixSocket::params() const
{
    return d->params;
}

void PhoenixSocket::setParamsProvider(std::function<QVariantMap()> provider)
{
    d->paramsProvider = std::move(provider);
}

void PhoenixSocket::setUnauthorizedStatusCodes(const QList<int> &codes)
{
    d->unauthorizedCodes = codes;
}

QList<int> PhoenixSocket::unauthorizedStatusCodes() const
{
    return d->unauthorizedCodes;
}

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

void PhoenixSocket::setSslConfiguration(const QSslConfiguration &configuration)
{
    d->ssl = configuration;
    d->hasSsl = true;
}

void PhoenixSocket::setHeartbeatInterval(int ms)
{
    d->heartbeatInterval = ms;
}

int PhoenixSocket::heartbeatInterval() const
{
    return d->heartbeatInterval;
}

void PhoenixSocket::setDefaultTimeout(int ms)
{
    d->defaultTimeout = ms;
}

int PhoenixSocket::defaultTimeout() const
{
    return d->defaultTimeout;
}

void PhoenixSocket::setMaxFrameSize(qint64 bytes)
{
    d->maxFrameSize = bytes;
}

qint64 PhoenixSocket::maxFrameSize() const
{
    return d->maxFrameSize;
}

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

PhoenixTransport *PhoenixSocket::transport() const
{
    return d->transport;
}

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

PhoenixScheduler *PhoenixSocket::scheduler() const
{
    return d->scheduler;
}

void PhoenixSocket::setRandomSource(std::function<double()> random)
{
    if (random)
        d->random = std::move(random);
}

void PhoenixSocket::connectToServer()
{
    if (d->status != Status::Closed && d->status != Status::Unauthorized)
        return;
    d->everOpened = false;
    d->reconnectAttempts = 0;
    setStatus(Status::Connecting);
    openTransport();
}

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

bool PhoenixSocket::isOpen() const
{
    return d->status == Status::Open;
}

QString PhoenixSocket::makeRef()
{
    return QString::number(++d->refCounter);
}

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

QList<PhoenixChannel *> PhoenixSocket::channels() const
{
    QList<PhoenixChannel *> live;
    for (PhoenixChannel *channel : std::as_const(d->channels)) {
        if (!channel->isLeaveRequested())
            live.append(channel);
    }
    return live;
}

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
    dispatch(*message);
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
    dispatch(*message);
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
