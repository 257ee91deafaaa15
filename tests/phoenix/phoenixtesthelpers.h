// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "fakephoenixtransport.h"

#include <phoenixchannel.h>
#include <phoenixpush.h>
#include <phoenixscheduler.h>
#include <phoenixsocket.h>

#include <QtCore/QMutex>
#include <QtCore/QStringList>

#include <memory>

/*!
    Records every message logged under musubi.phoenix while alive, so tests
    can assert that dropped input was logged.
*/
class PhoenixLogCapture
{
public:
    PhoenixLogCapture()
    {
        s_current = this;
        m_previous = qInstallMessageHandler(&PhoenixLogCapture::handler);
    }
    ~PhoenixLogCapture()
    {
        qInstallMessageHandler(m_previous);
        s_current = nullptr;
    }
    QStringList messages() const { return m_messages; }
    bool contains(const QString &text) const
    {
        for (const QString &m : m_messages) {
            if (m.contains(text))
                return true;
        }
        return false;
    }
    void clear() { m_messages.clear(); }

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &msg)
    {
        PhoenixLogCapture *self = s_current;
        if (self && context.category && qstrcmp(context.category, "musubi.phoenix") == 0)
            self->m_messages.append(msg);
        if (self && self->m_previous)
            self->m_previous(type, context, msg);
    }
    static inline PhoenixLogCapture *s_current = nullptr;
    QtMessageHandler m_previous = nullptr;
    QStringList m_messages;
};

//! A socket wired to a fake transport and virtual time.
struct PhoenixHarness
{
    PhoenixHarness()
    {
        socket = std::make_unique<PhoenixSocket>();
        transport = new FakePhoenixTransport;
        scheduler = new PhoenixManualScheduler;
        socket->setTransport(transport);
        socket->setScheduler(scheduler);
        socket->setRandomSource([this] { return jitter; });
        socket->setUrl(QUrl(QStringLiteral("ws://example.test/socket")));
    }
    void open()
    {
        socket->connectToServer();
        transport->serverOpen();
    }
    //! Joins \a channel and answers the join with ok.
    void joinOk(PhoenixChannel *channel, const QJsonValue &response = QJsonObject())
    {
        channel->join();
        transport->serverReply(transport->sent(QStringLiteral("phx_join"), channel->topic()).last(),
                               QStringLiteral("ok"), response);
    }

    std::unique_ptr<PhoenixSocket> socket;
    FakePhoenixTransport *transport = nullptr;
    PhoenixManualScheduler *scheduler = nullptr;
    double jitter = 0.0;
};
