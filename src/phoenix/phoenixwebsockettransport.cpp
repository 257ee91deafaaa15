// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixwebsockettransport.h"
#include "phoenixlogging_p.h"

#include "phoenixmessage.h"

#include <QtCore/QRegularExpression>
#include <QtWebSockets/QWebSocket>

using namespace Qt::StringLiterals;

/*!
    \class PhoenixWebSocketTransport
    \inmodule MusubiPhoenix
    \inheaderfile phoenixwebsockettransport.h
    \brief PhoenixTransport over QWebSocket (the default).

    A fresh QWebSocket is used for every open(), so late signals of a
    connection that was closed can never leak into the next one. Incoming
    frames and messages above the configured maximum are refused by
    QWebSocket itself.
*/

/*!
    Constructs a WebSocket transport with the given \a parent.
*/
PhoenixWebSocketTransport::PhoenixWebSocketTransport(QObject *parent)
    : PhoenixTransport(parent)
{ }

PhoenixWebSocketTransport::~PhoenixWebSocketTransport()
{
    drop();
}

void PhoenixWebSocketTransport::drop()
{
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket.clear();
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void PhoenixWebSocketTransport::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_socket) {
        const auto code = m_socket->closeCode();
        qCInfo(lcPhoenix) << "websocket closed, code" << int(code) << m_socket->closeReason();
        if (!m_errorReported) {
            // A refused connection ends with disconnected() and no error();
            // an oversized message makes QWebSocket close with 1009.
            if (!m_connected)
                Q_EMIT errorOccurred(u"could not connect: "_s + m_socket->errorString());
            else if (code == QWebSocketProtocol::CloseCodeTooMuchData)
                Q_EMIT errorOccurred(
                        u"connection closed: an incoming message exceeded the size limit"_s);
        }
    }
    drop();
    Q_EMIT closed();
}

void PhoenixWebSocketTransport::open(const QUrl &url)
{
    drop();
    m_finished = false;
    m_connected = false;
    m_errorReported = false;
    m_upgradeRefused = false;
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    // QWebSocket refuses oversized frames/messages itself; the socket layer
    // re-checks so a transport without this knob is still bounded.
    socket->setMaxAllowedIncomingFrameSize(quint64(m_maxMessageSize));
    socket->setMaxAllowedIncomingMessageSize(quint64(m_maxMessageSize));
#ifndef QT_NO_SSL
    if (m_hasSsl)
        socket->setSslConfiguration(m_ssl);
#endif
    connect(socket, &QWebSocket::connected, this, [this] {
        m_connected = true;
        Q_EMIT opened();
    });
    connect(socket, &QWebSocket::disconnected, this, &PhoenixWebSocketTransport::finish);
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { Q_EMIT textReceived(text.toUtf8()); });
    connect(socket, &QWebSocket::binaryMessageReceived, this, &PhoenixTransport::binaryReceived);
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket](QAbstractSocket::SocketError) {
                // Qt follows a refused upgrade with a second error for the
                // same failure (RemoteHostClosedError): report it once.
                if (m_upgradeRefused)
                    return;
                m_errorReported = true;
                QString reason;
                const int status =
                        m_connected ? 0 : refusedUpgradeStatus(socket->errorString(), &reason);
                if (status > 0) {
                    m_upgradeRefused = true;
                    Q_EMIT upgradeRefused(status, reason);
                } else {
                    Q_EMIT errorOccurred(socket->errorString());
                }
                // Some failures (e.g. a refused connection) may not be followed by
                // disconnected(); make sure closed() is reported exactly once.
                QMetaObject::invokeMethod(
                        this,
                        [this, socket] {
                            if (m_socket == socket
                                && socket->state() == QAbstractSocket::UnconnectedState)
                                finish();
                        },
                        Qt::QueuedConnection);
            });
#ifndef QT_NO_SSL
    connect(socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            Q_EMIT errorOccurred(u"TLS error: "_s + error.errorString());
    });
#endif
    qCDebug(lcPhoenix) << "opening" << url.toDisplayString();
    socket->open(url);
}

void PhoenixWebSocketTransport::close()
{
    m_finished = true;
    if (m_socket) {
        QWebSocket *socket = m_socket;
        m_socket.clear();
        socket->disconnect(this);
        socket->close();
        socket->deleteLater();
    }
}

void PhoenixWebSocketTransport::sendText(const QByteArray &frame)
{
    if (m_socket)
        m_socket->sendTextMessage(QString::fromUtf8(frame));
}

void PhoenixWebSocketTransport::sendBinary(const QByteArray &frame)
{
    if (m_socket)
        m_socket->sendBinaryMessage(frame);
}

void PhoenixWebSocketTransport::setSslConfiguration(const QSslConfiguration &configuration)
{
    m_ssl = configuration;
    m_hasSsl = true;
}

void PhoenixWebSocketTransport::setMaxIncomingMessageSize(qint64 bytes)
{
    m_maxMessageSize = bytes > 0 ? bytes : 0;
}

/*!
    Extracts the HTTP status of a refused upgrade from QWebSocket's error
    string \a errorString (Qt 6.4 reports a non-101 answer only as text:
    "...Unhandled http status code: 401 (Unauthorized)."). Returns the status
    and stores the reason phrase in \a reasonPhrase (when not null), or
    returns 0 when \a errorString is not such a message. This is the one place
    that parses Qt's text; everything above the transport sees upgradeRefused().

    \sa PhoenixTransport::upgradeRefused()
*/
int PhoenixWebSocketTransport::refusedUpgradeStatus(const QString &errorString,
                                                    QString *reasonPhrase)
{
    // QWebSocketPrivate::processHandshake (Qt 6.4):
    // "QWebSocketPrivate::processHandshake: Unhandled http status code: %1 (%2)."
    static const QRegularExpression pattern(uR"(http status code: (\d{3}) \((.*)\)\.?$)"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(errorString);
    if (!match.hasMatch())
        return 0;
    const int status = match.captured(1).toInt();
    if (status < 100 || status > 599 || status == 101)
        return 0;
    if (reasonPhrase)
        *reasonPhrase = match.captured(2).trimmed();
    return status;
}
