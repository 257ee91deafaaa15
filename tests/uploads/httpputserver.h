// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

/*!
    A tiny HTTP/1.1 server for tests of external uploads: it reads one
    request per connection (headers and a Content-Length body), records it
    and answers with status(). Enough for QNetworkAccessManager's PUT.
*/
class HttpPutServer : public QTcpServer
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QHash<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
    };

    explicit HttpPutServer(QObject *parent = nullptr)
        : QTcpServer(parent)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection())
                serve(socket);
        });
    }

    int status = 200;
    QList<Request> requests;

Q_SIGNALS:
    void requestReceived();

private:
    void serve(QTcpSocket *socket)
    {
        auto *buffer = new QByteArray;
        connect(socket, &QObject::destroyed, this, [buffer] { delete buffer; });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            Request request;
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.path = first.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines.at(i).indexOf(':');
                if (colon > 0)
                    request.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                                           lines.at(i).mid(colon + 1).trimmed());
            }
            const qint64 length = request.headers.value("content-length").toLongLong();
            if (buffer->size() - (end + 4) < length)
                return; // body still arriving
            request.body = buffer->mid(end + 4, length);
            buffer->clear();
            requests.append(request);
            const QByteArray response = "HTTP/1.1 " + QByteArray::number(status)
                    + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            socket->write(response);
            socket->disconnectFromHost();
            Q_EMIT requestReceived();
        });
    }
};
