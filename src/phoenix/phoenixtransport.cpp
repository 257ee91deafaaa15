// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixtransport.h"

/*!
    \class PhoenixTransport
    \inmodule MusubiPhoenix
    \inheaderfile phoenixtransport.h
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

/*!
    \fn void PhoenixTransport::open(const QUrl &url)

    Starts connecting to \a url, dropping any previous connection silently.
*/

/*!
    \fn void PhoenixTransport::close()

    Closes the connection; no further signals are emitted for it.
*/

/*!
    \fn void PhoenixTransport::sendText(const QByteArray &frame)

    Sends \a frame as one text message.
*/

/*!
    \fn void PhoenixTransport::sendBinary(const QByteArray &frame)

    Sends \a frame as one binary message.
*/

/*!
    \fn void PhoenixTransport::opened()

    Emitted when the connection requested by open() is established.
*/

/*!
    \fn void PhoenixTransport::closed()

    Emitted once when the connection (or the attempt) ended without close()
    being called.
*/

/*!
    \fn void PhoenixTransport::textReceived(const QByteArray &frame)

    Emitted for one incoming text message \a frame (UTF-8).
*/

/*!
    \fn void PhoenixTransport::binaryReceived(const QByteArray &frame)

    Emitted for one incoming binary message \a frame.
*/

/*!
    \fn void PhoenixTransport::errorOccurred(const QString &message)

    Emitted with a human-readable \a message on a failure; closed() follows
    when the connection is lost.
*/

/*!
    \fn void PhoenixTransport::upgradeRefused(int statusCode, const QString &reasonPhrase)

    Emitted when the server answered the upgrade request with HTTP
    \a statusCode (not 101) and \a reasonPhrase, e.g. 401 "Unauthorized".
    Emitted at most once per open(), instead of errorOccurred() for that
    failure; closed() follows.

    \sa PhoenixSocket::setUnauthorizedStatusCodes()
*/

/*!
    Constructs a transport with the given \a parent.
*/
PhoenixTransport::PhoenixTransport(QObject *parent)
    : QObject(parent)
{ }

PhoenixTransport::~PhoenixTransport() = default;

/*!
    Sets the TLS \a configuration for \c wss:// URLs; it applies from the
    next open() on. The default implementation ignores it.
*/
void PhoenixTransport::setSslConfiguration(const QSslConfiguration &) { }

/*!
    Sets the largest incoming message the transport should accept to
    \a bytes. The default implementation ignores it.
*/
void PhoenixTransport::setMaxIncomingMessageSize(qint64) { }
