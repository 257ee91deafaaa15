// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixloopbackserver.h"

#include <QtNetwork/QHostAddress>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

using namespace Qt::StringLiterals;

PhoenixLoopbackServer::PhoenixLoopbackServer(QObject *parent)
    : QObject(parent)
    , m_server(new QWebSocketServer(u"phoenix-loopback"_s, QWebSocketServer::NonSecureMode, this))
{
    connect(m_server, &QWebSocketServer::newConnection, this,
            &PhoenixLoopbackServer::onNewConnection);
}

PhoenixLoopbackServer::~PhoenixLoopbackServer()
{
    for (const Connection &c : std::as_const(m_connections)) {
        if (c.socket)
            c.socket->disconnect(this);
    }
}

bool PhoenixLoopbackServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

QUrl PhoenixLoopbackServer::url() const
{
    return QUrl(u"ws://127.0.0.1:%1/socket"_s.arg(m_server->serverPort()));
}

QList<PhoenixMessage> PhoenixLoopbackServer::receivedEvents(const QString &event) const
{
    QList<PhoenixMessage> out;
    for (const PhoenixMessage &m : received) {
        if (m.event == event)
            out.append(m);
    }
    return out;
}

int PhoenixLoopbackServer::connectionCount() const
{
    int n = 0;
    for (const Connection &c : m_connections) {
        if (c.socket && c.socket->state() == QAbstractSocket::ConnectedState)
            ++n;
    }
    return n;
}

PhoenixLoopbackServer::Connection *PhoenixLoopbackServer::find(QWebSocket *socket)
{
    for (Connection &c : m_connections) {
        if (c.socket == socket)
            return &c;
    }
    return nullptr;
}

void PhoenixLoopbackServer::onNewConnection()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        requestUrls.append(socket->requestUrl());
        m_connections.append(Connection{socket, {}});
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &text) { onText(socket, text); });
        connect(socket, &QWebSocket::binaryMessageReceived, this,
                [this, socket](const QByteArray &frame) { onBinary(socket, frame); });
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        emit clientConnected();
    }
}

void PhoenixLoopbackServer::send(QWebSocket *socket, const PhoenixMessage &message)
{
    socket->sendTextMessage(QString::fromUtf8(PhoenixSerializer::encodeText(message)));
}

void PhoenixLoopbackServer::reply(QWebSocket *socket, const PhoenixMessage &to,
                                  const QString &status, const QJsonValue &response)
{
    send(socket,
         PhoenixMessage{to.joinRef,
                        to.ref,
                        to.topic,
                        u"phx_reply"_s,
                        QJsonObject{{u"status"_s, status}, {u"response"_s, response}},
                        {},
                        false});
}

void PhoenixLoopbackServer::onText(QWebSocket *socket, const QString &text)
{
    const auto message = PhoenixSerializer::decodeText(text.toUtf8());
    if (!message)
        return;
    received.append(*message);
    Connection *c = find(socket);
    if (message->topic == u"phoenix" && message->event == u"heartbeat") {
        if (answerHeartbeats)
            reply(socket, *message, u"ok"_s, QJsonObject());
    } else if (message->event == u"phx_join") {
        if (refusedTopics.contains(message->topic)) {
            reply(socket, *message, u"error"_s, QJsonObject{{u"reason"_s, u"unauthorized"_s}});
        } else {
            if (c)
                c->joinRefs.insert(message->topic, message->joinRef);
            reply(socket, *message, u"ok"_s, joinResponse);
        }
    } else if (message->event == u"phx_leave") {
        if (c)
            c->joinRefs.remove(message->topic);
        reply(socket, *message, u"ok"_s, QJsonObject());
        send(socket,
             PhoenixMessage{message->joinRef,
                            message->ref,
                            message->topic,
                            u"phx_close"_s,
                            QJsonObject(),
                            {},
                            false});
    } else {
        reply(socket, *message, u"ok"_s, message->payload);
    }
    emit messageReceived(*message);
}

void PhoenixLoopbackServer::onBinary(QWebSocket *socket, const QByteArray &frame)
{
    const auto message = PhoenixSerializer::decodeBinaryPush(frame);
    if (!message)
        return;
    binaryPushes.append(*message);
    reply(socket, *message, u"ok"_s, QJsonObject{{u"bytes"_s, int(message->binaryPayload.size())}});
    emit messageReceived(*message);
}

void PhoenixLoopbackServer::push(const QString &topic, const QString &event,
                                 const QJsonValue &payload)
{
    for (const Connection &c : std::as_const(m_connections)) {
        if (c.socket && c.joinRefs.contains(topic))
            send(c.socket,
                 PhoenixMessage{
                         c.joinRefs.value(topic), QString(), topic, event, payload, {}, false});
    }
}

void PhoenixLoopbackServer::sendRaw(const QByteArray &frame)
{
    for (const Connection &c : std::as_const(m_connections)) {
        if (c.socket)
            c.socket->sendTextMessage(QString::fromUtf8(frame));
    }
}

void PhoenixLoopbackServer::closeAll()
{
    for (const Connection &c : std::as_const(m_connections)) {
        if (c.socket)
            c.socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"server restart"_s);
    }
}
