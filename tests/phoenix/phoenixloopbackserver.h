// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <phoenixmessage.h>

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QUrl>

class QWebSocket;
class QWebSocketServer;

/*!
    \class PhoenixLoopbackServer
    \brief A minimal Phoenix Channels v2 server on 127.0.0.1 for integration tests.

    Answers heartbeats, joins (ok with joinResponse, or error for topics in
    refusedTopics), leaves (ok + phx_close) and every other push (ok, echoing
    the payload). Records everything it receives.
*/
class PhoenixLoopbackServer : public QObject
{
    Q_OBJECT
public:
    explicit PhoenixLoopbackServer(QObject *parent = nullptr);
    ~PhoenixLoopbackServer() override;

    bool listen();
    QUrl url() const; // ws://127.0.0.1:PORT/socket

    //! Server-initiated push on \a topic to every connection that joined it.
    void push(const QString &topic, const QString &event, const QJsonValue &payload);
    //! Sends a raw text frame to every connection.
    void sendRaw(const QByteArray &frame);
    //! Closes every connection from the server side.
    void closeAll();
    int connectionCount() const;

    QJsonObject joinResponse;
    QStringList refusedTopics;
    bool answerHeartbeats = true;

    QList<PhoenixMessage> received; // every decoded text frame
    QList<PhoenixMessage> binaryPushes; // decoded client binary pushes
    QList<QUrl> requestUrls; // one per accepted connection

    QList<PhoenixMessage> receivedEvents(const QString &event) const;

signals:
    void messageReceived(const PhoenixMessage &message);
    void clientConnected();

private:
    void onNewConnection();
    void onText(QWebSocket *socket, const QString &text);
    void onBinary(QWebSocket *socket, const QByteArray &frame);
    void send(QWebSocket *socket, const PhoenixMessage &message);
    void reply(QWebSocket *socket, const PhoenixMessage &to, const QString &status,
               const QJsonValue &response);

    QWebSocketServer *m_server = nullptr;
    struct Connection
    {
        QPointer<QWebSocket> socket;
        QHash<QString, QString> joinRefs; // topic -> join_ref
    };
    QList<Connection> m_connections;
    Connection *find(QWebSocket *socket);
};
