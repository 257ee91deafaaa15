// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"
#include "musubitestmount.h"
#include "musubiteststore.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtCore/QVariantMap>

#include <functional>
#include <memory>

class MusubiTestServerPrivate;

class MUSUBI_TESTING_EXPORT MusubiTestServer : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool listening READ isListening NOTIFY listeningChanged)
    Q_PROPERTY(int port READ port NOTIFY listeningChanged)
    Q_PROPERTY(QUrl url READ url NOTIFY listeningChanged)
    Q_PROPERTY(Profile profile READ profile WRITE setProfile NOTIFY profileChanged)
    Q_PROPERTY(bool answersHeartbeats READ answersHeartbeats WRITE setAnswersHeartbeats NOTIFY
                       answersHeartbeatsChanged)
    Q_PROPERTY(QString requiredToken READ requiredToken WRITE setRequiredToken NOTIFY
                       requiredTokenChanged)
    Q_PROPERTY(int connectionCount READ connectionCount NOTIFY connectionCountChanged)
    Q_PROPERTY(int mountedRootCount READ mountedRootCount NOTIFY mountedRootCountChanged)

public:
    enum class Profile { Both, Shared, PerRoot };
    Q_ENUM(Profile)

    enum class ChannelEnd { Close, Error };
    Q_ENUM(ChannelEnd)

    using RootFactory =
            std::function<MusubiTestStore *(const MusubiTestMount &mount, QString *refusal)>;
    using Authenticator = std::function<bool(const QVariantMap &connectParams)>;
    using ConnectAuthenticator = std::function<int(const QVariantMap &connectParams)>;
    using JoinAuthenticator = std::function<bool(const QString &topic, const QJsonObject &payload,
                                                 const QVariantMap &connectParams)>;

    explicit MusubiTestServer(QObject *parent = nullptr);
    ~MusubiTestServer() override;

    // --- listening ------------------------------------------------------

    Q_INVOKABLE bool listen(int port = 0);
    Q_INVOKABLE void close();
    bool isListening() const;
    int port() const;
    QUrl url() const;

    // --- configuration --------------------------------------------------

    Profile profile() const;
    void setProfile(Profile profile);
    void setAuthenticator(Authenticator authenticator);
    void setConnectAuthenticator(ConnectAuthenticator authenticator);
    QString requiredToken() const;
    void setRequiredToken(const QString &token);
    void setJoinAuthenticator(JoinAuthenticator authenticator);

    void registerRoot(const QString &module, RootFactory factory);
    template<typename T>
    void registerRoot(const QString &module)
    {
        registerRoot(module, [](const MusubiTestMount &, QString *) { return new T; });
    }
    void unregisterRoot(const QString &module);
    QStringList registeredModules() const;

    // --- introspection --------------------------------------------------

    int connectionCount() const;
    int mountedRootCount() const;
    QList<MusubiTestStore *> mountedRoots() const;
    Q_INVOKABLE MusubiTestStore *mountedRoot(const QString &rootId) const;
    Q_INVOKABLE QJsonObject wireTree(const QString &rootId) const;
    Q_INVOKABLE int rootVersion(const QString &rootId) const;
    Q_INVOKABLE QStringList joinedTopics() const;
    Q_INVOKABLE QString uploadDirectory() const;
    Q_INVOKABLE void flush();

    // --- pubsub (between mounts, like Phoenix.PubSub) ----------------------

    Q_INVOKABLE int broadcast(const QString &topic, const QJsonValue &message);
    Q_INVOKABLE int broadcastFrom(MusubiTestStore *from, const QString &topic,
                                  const QJsonValue &message);
    QList<MusubiTestStore *> subscribers(const QString &topic) const;
    Q_INVOKABLE int subscriberCount(const QString &topic) const;

    // --- fault injection --------------------------------------------------

    Q_INVOKABLE void dropConnections();
    Q_INVOKABLE void dropAfterNextCommand();
    bool answersHeartbeats() const;
    void setAnswersHeartbeats(bool answer);
    Q_INVOKABLE void skipNextVersion();
    Q_INVOKABLE bool sendEnvelope(const QString &rootId, const QJsonObject &envelope);
    Q_INVOKABLE void sendRawText(const QByteArray &frame);
    Q_INVOKABLE void sendRawBinary(const QByteArray &frame);
    Q_INVOKABLE void delayNextReply(int ms, const QString &event = {});
    Q_INVOKABLE void withholdNextReply(const QString &event = {});
    Q_INVOKABLE bool closeChannel(const QString &topic,
                                  MusubiTestServer::ChannelEnd how = ChannelEnd::Close);

Q_SIGNALS:
    void listeningChanged();
    void profileChanged();
    void answersHeartbeatsChanged();
    void requiredTokenChanged();
    void connectionCountChanged();
    void mountedRootCountChanged();

    void clientConnected(int connectionId, const QVariantMap &connectParams);
    void clientRefused(const QVariantMap &connectParams);
    void clientRefusedWithStatus(const QVariantMap &connectParams, int statusCode);
    void clientDisconnected(int connectionId);
    void textFrameReceived(const QByteArray &frame);
    void binaryFrameReceived(const QByteArray &frame);
    void messageReceived(const QString &topic, const QString &event, const QJsonValue &payload);
    void channelJoined(const QString &topic, const QJsonObject &payload);
    void channelJoinRefused(const QString &topic, const QString &reason);
    void channelLeft(const QString &topic);
    void rootMounted(const QString &rootId, MusubiTestStore *root);
    void rootUnmounted(const QString &rootId);
    void commandReceived(const QString &rootId, const QJsonArray &storeId, const QString &name,
                         const QJsonObject &payload);
    void envelopeSent(const QString &rootId, const QJsonObject &envelope);

private:
    friend class MusubiTestServerPrivate;
    friend class MusubiTestStore;
    std::unique_ptr<MusubiTestServerPrivate> d;
};
