// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// RawClient for QML tests: a Phoenix v2 client reduced to raw frames, so the
// Musubi.Testing QML tests depend on nothing but the test server.

#include <phoenixmessage.h>

#include <QtCore/QJsonObject>
#include <QtCore/QUrlQuery>
#include <QtCore/QVariantList>
#include <QtQml/qqml.h>
#include <QtWebSockets/QWebSocket>

class QmlRawClient : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(RawClient)
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)
    Q_PROPERTY(QVariantList messages READ messages NOTIFY messagesChanged)

public:
    explicit QmlRawClient(QObject *parent = nullptr)
        : QObject(parent)
    {
        connect(&m_socket, &QWebSocket::connected, this, &QmlRawClient::connectedChanged);
        connect(&m_socket, &QWebSocket::disconnected, this, &QmlRawClient::connectedChanged);
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const auto m = PhoenixSerializer::decodeText(text.toUtf8());
            if (!m)
                return;
            m_messages.append(QVariantMap{{QStringLiteral("joinRef"), m->joinRef},
                                          {QStringLiteral("ref"), m->ref},
                                          {QStringLiteral("topic"), m->topic},
                                          {QStringLiteral("event"), m->event},
                                          {QStringLiteral("payload"), m->payload.toVariant()}});
            emit messagesChanged();
        });
    }

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QVariantList messages() const { return m_messages; }

    //! Opens <base>/websocket?vsn=2.0.0 plus \a params.
    Q_INVOKABLE void open(const QUrl &base, const QVariantMap &params = {})
    {
        QUrl url = base;
        url.setPath(url.path() + QStringLiteral("/websocket"));
        QUrlQuery query;
        for (auto it = params.cbegin(); it != params.cend(); ++it)
            query.addQueryItem(it.key(), it.value().toString());
        query.addQueryItem(QStringLiteral("vsn"), QStringLiteral("2.0.0"));
        url.setQuery(query);
        m_socket.open(url);
    }
    Q_INVOKABLE void close() { m_socket.close(); }
    //! Forgets every received message.
    Q_INVOKABLE void clear()
    {
        m_messages.clear();
        emit messagesChanged();
    }

    //! Sends a phx_join (join_ref = its ref); returns the ref.
    Q_INVOKABLE QString join(const QString &topic, const QJsonObject &payload = {})
    {
        return send(QString::number(m_ref + 1), topic, QStringLiteral("phx_join"), payload);
    }
    //! Sends any push; returns its ref.
    Q_INVOKABLE QString send(const QString &joinRef, const QString &topic, const QString &event,
                             const QJsonObject &payload = {})
    {
        PhoenixMessage m;
        m.joinRef = joinRef;
        m.ref = QString::number(++m_ref);
        m.topic = topic;
        m.event = event;
        m.payload = payload;
        m_socket.sendTextMessage(QString::fromUtf8(PhoenixSerializer::encodeText(m)));
        return m.ref;
    }

Q_SIGNALS:
    void connectedChanged();
    void messagesChanged();

private:
    QWebSocket m_socket;
    QVariantList m_messages;
    int m_ref = 0;
};
