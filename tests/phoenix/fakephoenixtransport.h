// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <phoenixmessage.h>
#include <phoenixtransport.h>

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QUrl>
#include <QtNetwork/QSslConfiguration>

/*!
    \class FakePhoenixTransport
    \brief A scriptable in-memory PhoenixTransport for unit tests.

    Records what the socket opens and sends; the test drives the other side
    with serverOpen(), serverClose() and serverText().
*/
class FakePhoenixTransport : public PhoenixTransport
{
    Q_OBJECT
public:
    using PhoenixTransport::PhoenixTransport;

    void open(const QUrl &url) override
    {
        ++openCount;
        lastUrl = url;
        isOpenRequested = true;
    }
    void close() override
    {
        ++closeCount;
        isOpenRequested = false;
    }
    void sendText(const QByteArray &frame) override { sentText.append(frame); }
    void sendBinary(const QByteArray &frame) override { sentBinary.append(frame); }
    void setMaxIncomingMessageSize(qint64 bytes) override { maxMessageSize = bytes; }
    void setSslConfiguration(const QSslConfiguration &configuration) override
    {
        ssl = configuration;
        ++sslSetCount;
    }

    void serverOpen() { emit opened(); }
    void serverClose()
    {
        isOpenRequested = false;
        emit closed();
    }
    //! The server answers the upgrade with HTTP \a status (upgradeRefused(), then closed()).
    void serverRefuse(int status, const QString &reasonPhrase)
    {
        isOpenRequested = false;
        emit upgradeRefused(status, reasonPhrase);
        emit closed();
    }
    void serverText(const QByteArray &frame) { emit textReceived(frame); }
    void serverMessage(const QString &joinRef, const QString &ref, const QString &topic,
                       const QString &event, const QJsonValue &payload)
    {
        PhoenixMessage m{joinRef, ref, topic, event, payload, {}, false};
        emit textReceived(PhoenixSerializer::encodeText(m));
    }
    void serverReply(const PhoenixMessage &to, const QString &status,
                     const QJsonValue &response = QJsonObject())
    {
        serverMessage(to.joinRef, to.ref, to.topic, QStringLiteral("phx_reply"),
                      QJsonObject{{QStringLiteral("status"), status},
                                  {QStringLiteral("response"), response}});
    }

    //! Decoded text frames sent so far.
    QList<PhoenixMessage> sent() const
    {
        QList<PhoenixMessage> out;
        for (const QByteArray &frame : sentText)
            out.append(PhoenixSerializer::decodeText(frame).value_or(PhoenixMessage{}));
        return out;
    }
    //! Sent frames with \a event (and \a topic if non-empty).
    QList<PhoenixMessage> sent(const QString &event, const QString &topic = {}) const
    {
        QList<PhoenixMessage> out;
        const QList<PhoenixMessage> all = sent();
        for (const PhoenixMessage &m : all) {
            if (m.event == event && (topic.isEmpty() || m.topic == topic))
                out.append(m);
        }
        return out;
    }
    PhoenixMessage lastSent() const
    {
        const QList<PhoenixMessage> all = sent();
        return all.isEmpty() ? PhoenixMessage{} : all.last();
    }

    int openCount = 0;
    int closeCount = 0;
    bool isOpenRequested = false;
    qint64 maxMessageSize = -1;
    QSslConfiguration ssl;
    int sslSetCount = 0;
    QUrl lastUrl;
    QList<QByteArray> sentText;
    QList<QByteArray> sentBinary;
};
