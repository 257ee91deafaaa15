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

class MUSUBI_PHOENIX_EXPORT PhoenixSocket : public QObject
{
    Q_OBJECT
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
public:
    enum class Status { Connecting, Open, Reconnecting, Closed, Unauthorized };
    Q_ENUM(Status)

    explicit PhoenixSocket(QObject *parent = nullptr);
    ~PhoenixSocket() override;

    void setUrl(const QUrl &url);
    QUrl url() const;
    void setParams(const QVariantMap &params);
    QVariantMap params() const;
    void setParamsProvider(std::function<QVariantMap()> provider);
    QUrl endpointUrl() const;
    void setUnauthorizedStatusCodes(const QList<int> &codes);
    QList<int> unauthorizedStatusCodes() const;
    void setSslConfiguration(const QSslConfiguration &configuration);
    void setHeartbeatInterval(int ms);
    int heartbeatInterval() const;
    void setDefaultTimeout(int ms);
    int defaultTimeout() const;
    void setMaxFrameSize(qint64 bytes);
    qint64 maxFrameSize() const;
    void setTransport(PhoenixTransport *transport);
    PhoenixTransport *transport() const;
    void setScheduler(PhoenixScheduler *scheduler);
    PhoenixScheduler *scheduler() const;
    void setRandomSource(std::function<double()> random);

    void connectToServer();
    void disconnectFromServer();

    Status status() const;
    bool isOpen() const;

    QString makeRef();
    qint64 currentFrameSize() const;

    PhoenixChannel *channel(const QString &topic, const QJsonObject &joinPayload = {});
    QList<PhoenixChannel *> channels() const;

    static int reconnectBaseDelay(int attempt);

Q_SIGNALS:
    void statusChanged(PhoenixSocket::Status status, PhoenixSocket::Status oldStatus);
    void opened();
    void closed();
    void errorOccurred(const QString &message);
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
