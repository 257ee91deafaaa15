// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "phoenixglobal.h"

#include <QtCore/QByteArray>
#include <QtCore/QObject>
#include <QtCore/QUrl>

class QSslConfiguration;

/*!
    \class PhoenixTransport
    \brief The transport seam under PhoenixSocket: one message-oriented connection at a time.

    open() starts a connection; opened() follows on success. closed() is
    emitted exactly once when an opened or opening connection ends without
    close() being called (refused, dropped, closed by the peer); errorOccurred()
    or, for an upgrade answered with an HTTP status, upgradeRefused() may
    precede it. close() tears the connection down at once and emits
    nothing more for it. The default implementation is
    PhoenixWebSocketTransport.

    \sa PhoenixSocket::setTransport()
*/
class MUSUBI_PHOENIX_EXPORT PhoenixTransport : public QObject
{
    Q_OBJECT
public:
    explicit PhoenixTransport(QObject *parent = nullptr);
    ~PhoenixTransport() override;

    //! Starts connecting to \a url, dropping any previous connection silently.
    virtual void open(const QUrl &url) = 0;
    //! Closes the connection; no further signals are emitted for it.
    virtual void close() = 0;
    //! Sends one text message.
    virtual void sendText(const QByteArray &frame) = 0;
    //! Sends one binary message.
    virtual void sendBinary(const QByteArray &frame) = 0;

    //! TLS settings for \c wss:// URLs; applied on the next open(). Default: ignored.
    virtual void setSslConfiguration(const QSslConfiguration &configuration);
    //! Largest incoming message the transport should accept. Default: ignored.
    virtual void setMaxIncomingMessageSize(qint64 bytes);

Q_SIGNALS:
    //! The connection requested by open() is established.
    void opened();
    //! The connection (or the attempt) ended without close() being called. Emitted once.
    void closed();
    //! One incoming text message, UTF-8.
    void textReceived(const QByteArray &frame);
    //! One incoming binary message.
    void binaryReceived(const QByteArray &frame);
    //! A human-readable failure; closed() follows when the connection is lost.
    void errorOccurred(const QString &message);
    /*! The server answered the upgrade request with HTTP \a statusCode (not
        101) and \a reasonPhrase, e.g. 401 "Unauthorized". Emitted at most once
        per open(), instead of errorOccurred() for that failure; closed() follows.
        \sa PhoenixSocket::setUnauthorizedStatusCodes() */
    void upgradeRefused(int statusCode, const QString &reasonPhrase);
};
