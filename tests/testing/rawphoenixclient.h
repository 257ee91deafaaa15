// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// A scripted Phoenix v2 client for driving MusubiTestServer with raw frames.
// It depends only on QWebSocket and PhoenixSerializer, never on the Musubi
// client runtime, so server tests stay independent of it.

#include <phoenixmessage.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QJsonObject>
#include <QtCore/QTimer>
#include <QtCore/QUrlQuery>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

#include <functional>

class RawPhoenixClient : public QObject
{
    Q_OBJECT
public:
    explicit RawPhoenixClient(QObject *parent = nullptr)
        : QObject(parent)
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const auto m = PhoenixSerializer::decodeText(text.toUtf8());
            if (m)
                inbox.append(*m);
            else
                badFrames.append(text.toUtf8());
        });
        connect(&socket, &QWebSocket::binaryMessageReceived, this,
                [this](const QByteArray &b) { binaryFrames.append(b); });
        connect(&socket, &QWebSocket::disconnected, this, [this] { disconnected = true; });
    }

    //! Runs the event loop until \a pred holds or \a timeoutMs passes; wakes on
    //! every socket event instead of polling, so waits cost no idle time.
    bool waitFor(const std::function<bool()> &pred, int timeoutMs)
    {
        QElapsedTimer clock;
        clock.start();
        while (!pred()) {
            const qint64 left = timeoutMs - clock.elapsed();
            if (left <= 0)
                return false;
            QEventLoop loop;
            connect(&socket, &QWebSocket::textMessageReceived, &loop, &QEventLoop::quit);
            connect(&socket, &QWebSocket::binaryMessageReceived, &loop, &QEventLoop::quit);
            connect(&socket, &QWebSocket::connected, &loop, &QEventLoop::quit);
            connect(&socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
            QTimer::singleShot(left, &loop, &QEventLoop::quit);
            loop.exec();
        }
        return true;
    }

    static QUrl endpoint(const QUrl &base, const QList<QPair<QString, QString>> &params = {},
                         const QString &vsn = QStringLiteral("2.0.0"))
    {
        QUrl url = base;
        url.setPath(url.path() + QStringLiteral("/websocket"));
        QUrlQuery query;
        for (const auto &p : params)
            query.addQueryItem(p.first, p.second);
        if (!vsn.isNull())
            query.addQueryItem(QStringLiteral("vsn"), vsn);
        url.setQuery(query);
        return url;
    }

    //! Opens and waits for the handshake; false if it failed.
    bool open(const QUrl &url)
    {
        QSignalSpy connected(&socket, &QWebSocket::connected);
        QSignalSpy failed(&socket, &QWebSocket::disconnected);
        socket.open(url);
        return waitFor([&] { return !connected.isEmpty() || !failed.isEmpty(); }, 5000)
                && !connected.isEmpty();
    }

    QString send(const QString &joinRef, const QString &topic, const QString &event,
                 const QJsonValue &payload = QJsonObject())
    {
        PhoenixMessage m;
        m.joinRef = joinRef;
        m.ref = QString::number(++lastRef);
        m.topic = topic;
        m.event = event;
        m.payload = payload;
        socket.sendTextMessage(QString::fromUtf8(PhoenixSerializer::encodeText(m)));
        return m.ref;
    }

    //! Sends a phx_join whose join_ref is its own ref; returns that ref.
    QString join(const QString &topic, const QJsonValue &payload = QJsonObject())
    {
        const QString ref = QString::number(lastRef + 1);
        send(ref, topic, QStringLiteral("phx_join"), payload);
        return ref;
    }

    //! Waits for the next message matching \a pred (consuming everything up to and including it).
    std::optional<PhoenixMessage> next(const std::function<bool(const PhoenixMessage &)> &pred,
                                       int timeoutMs = 5000)
    {
        std::optional<PhoenixMessage> found;
        static_cast<void>(waitFor(
                [&] {
                    while (!inbox.isEmpty()) {
                        PhoenixMessage m = inbox.takeFirst();
                        seen.append(m);
                        if (pred(m)) {
                            found = m;
                            return true;
                        }
                    }
                    return false;
                },
                timeoutMs));
        return found;
    }

    //! The next message of any kind.
    std::optional<PhoenixMessage> nextAny(int timeoutMs = 5000)
    {
        return next([](const PhoenixMessage &) { return true; }, timeoutMs);
    }

    //! The reply to \a ref (skipping other frames).
    std::optional<PhoenixMessage> replyTo(const QString &ref, int timeoutMs = 5000)
    {
        return next(
                [&](const PhoenixMessage &m) {
                    return m.event == QStringLiteral("phx_reply") && m.ref == ref;
                },
                timeoutMs);
    }

    //! Round-trips a heartbeat: every frame the server wrote before it is then in the inbox.
    bool sync()
    {
        const QString ref = send(QString(), QStringLiteral("phoenix"), QStringLiteral("heartbeat"));
        for (;;) {
            bool got = false;
            static_cast<void>(waitFor(
                    [&] {
                        for (const auto &m : std::as_const(inbox))
                            if (m.topic == QStringLiteral("phoenix") && m.ref == ref)
                                got = true;
                        return got;
                    },
                    5000));
            if (!got)
                return false;
            inbox.removeIf([&](const PhoenixMessage &m) {
                return m.topic == QStringLiteral("phoenix") && m.ref == ref;
            });
            return true;
        }
    }

    static QJsonObject response(const PhoenixMessage &m)
    {
        return m.payload.toObject().value(QStringLiteral("response")).toObject();
    }
    static QString status(const PhoenixMessage &m)
    {
        return m.payload.toObject().value(QStringLiteral("status")).toString();
    }

    QWebSocket socket;
    QList<PhoenixMessage> inbox;
    QList<PhoenixMessage> seen;
    QList<QByteArray> badFrames;
    QList<QByteArray> binaryFrames;
    bool disconnected = false;
    int lastRef = 0;
};
