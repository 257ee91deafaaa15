// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QUrl>
#include <QtCore/QVariantMap>
#include <QtQml/QJSValue>
#include <QtQml/QQmlParserStatus>

#include <functional>
#include <memory>

class PhoenixSocket;
class MusubiCache;
class MusubiTrace;
class MusubiRoot;

namespace Musubi::detail {
class ConnectionPrivate;
class RootMount;
class RootPrivate;
} // namespace Musubi::detail

class MUSUBI_CORE_EXPORT MusubiConnection : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    Q_PROPERTY(QUrl url READ url WRITE setUrl NOTIFY urlChanged)
    Q_PROPERTY(QVariantMap params READ params WRITE setParams NOTIFY paramsChanged)
    Q_PROPERTY(QJSValue paramsProvider READ paramsProvider WRITE setParamsProvider NOTIFY
                       paramsProviderChanged)
    Q_PROPERTY(QList<int> unauthorizedStatusCodes READ unauthorizedStatusCodes WRITE
                       setUnauthorizedStatusCodes NOTIFY unauthorizedStatusCodesChanged)
    Q_PROPERTY(Protocol protocol READ protocol WRITE setProtocol NOTIFY protocolChanged)
    Q_PROPERTY(Protocol activeProtocol READ activeProtocol NOTIFY activeProtocolChanged)
    Q_PROPERTY(QString baseTopic READ baseTopic WRITE setBaseTopic NOTIFY baseTopicChanged)
    Q_PROPERTY(int heartbeatInterval READ heartbeatInterval WRITE setHeartbeatInterval NOTIFY
                       heartbeatIntervalChanged)
    Q_PROPERTY(int joinTimeout READ joinTimeout WRITE setJoinTimeout NOTIFY joinTimeoutChanged)
    Q_PROPERTY(int pushTimeout READ pushTimeout WRITE setPushTimeout NOTIFY pushTimeoutChanged)
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(QVariantMap uploaders READ uploaders WRITE setUploaders NOTIFY uploadersChanged)
    Q_PROPERTY(MusubiCache *cache READ cache CONSTANT)
    Q_PROPERTY(MusubiTrace *trace READ trace CONSTANT)
    Q_MOC_INCLUDE("musubicache.h")
    Q_MOC_INCLUDE("musubitrace.h")

public:
    enum class Protocol {
        Auto,
        SharedChannel,
        PerRootChannel,
    };
    Q_ENUM(Protocol)

    enum class Status {
        Connecting,
        Connected,
        Reconnecting,
        Unauthorized,
        Closed,
    };
    Q_ENUM(Status)

    explicit MusubiConnection(QObject *parent = nullptr);
    ~MusubiConnection() override;

    QUrl url() const;
    void setUrl(const QUrl &url);

    QVariantMap params() const;
    void setParams(const QVariantMap &params);

    void setParamsProvider(std::function<QVariantMap()> provider);
    QJSValue paramsProvider() const;
    void setParamsProvider(const QJSValue &provider);

    QList<int> unauthorizedStatusCodes() const;
    void setUnauthorizedStatusCodes(const QList<int> &codes);

    Protocol protocol() const;
    void setProtocol(Protocol protocol);

    Protocol activeProtocol() const;

    QString baseTopic() const;
    void setBaseTopic(const QString &topic);

    int heartbeatInterval() const;
    void setHeartbeatInterval(int ms);

    int joinTimeout() const;
    void setJoinTimeout(int ms);

    int pushTimeout() const;
    void setPushTimeout(int ms);

    Status status() const;

    QString errorString() const;

    PhoenixSocket *socket() const;

    void registerUploader(const QString &name, QObject *uploader);
    void unregisterUploader(const QString &name);
    QObject *uploader(const QString &name) const;

    QVariantMap uploaders() const;
    void setUploaders(const QVariantMap &uploaders);

    bool isActive() const;
    void setActive(bool active);

    MusubiCache *cache() const;
    MusubiTrace *trace() const;

    void classBegin() override;
    void componentComplete() override;

public Q_SLOTS:
    void open();

    void close();

    void clearCache();

Q_SIGNALS:
    void urlChanged();
    void paramsChanged();
    void paramsProviderChanged();
    void unauthorizedStatusCodesChanged();
    void protocolChanged();
    void activeProtocolChanged();
    void baseTopicChanged();
    void heartbeatIntervalChanged();
    void joinTimeoutChanged();
    void pushTimeoutChanged();
    void statusChanged(MusubiConnection::Status status, MusubiConnection::Status oldStatus);
    void errorStringChanged();
    void activeChanged();
    void uploadersChanged();
    void errorOccurred(const QString &message);

private:
    friend class MusubiRoot;
    friend class Musubi::detail::RootMount;
    friend class Musubi::detail::RootPrivate;
    friend class Musubi::detail::ConnectionPrivate;
    std::unique_ptr<Musubi::detail::ConnectionPrivate> d;
};
