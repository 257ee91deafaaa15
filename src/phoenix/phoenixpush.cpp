// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixpush.h"

#include "phoenixchannel.h"

PhoenixPush::PhoenixPush(PhoenixChannel *channel, const QString &event, int timeoutMs)
    : QObject(channel)
    , m_topic(channel->topic())
    , m_event(event)
    , m_timeoutMs(timeoutMs)
{ }

PhoenixPush::~PhoenixPush()
{
    cancelTimeout();
}

QString PhoenixPush::ref() const
{
    return m_ref;
}

QString PhoenixPush::eventName() const
{
    return m_event;
}

QString PhoenixPush::topic() const
{
    return m_topic;
}

QString PhoenixPush::errorString() const
{
    return m_errorString;
}

bool PhoenixPush::isFinished() const
{
    return m_finished;
}

QByteArray PhoenixPush::binaryResponse() const
{
    return m_binaryResponse;
}

void PhoenixPush::startTimeout(PhoenixScheduler *scheduler)
{
    cancelTimeout();
    if (m_finished || !scheduler)
        return;
    m_scheduler = scheduler;
    m_timer = scheduler->schedule(m_timeoutMs, this, [this] {
        m_timer = 0;
        if (auto *channel = qobject_cast<PhoenixChannel *>(parent()))
            channel->pushTimedOut(this);
    });
}

void PhoenixPush::cancelTimeout()
{
    if (m_timer && m_scheduler)
        m_scheduler->cancel(m_timer);
    m_timer = 0;
}

void PhoenixPush::finish(Result result, const QJsonValue &response, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    cancelTimeout();
    m_errorString = error;
    if (auto *channel = qobject_cast<PhoenixChannel *>(parent()))
        channel->pushFinished(this);
    Q_EMIT finished(result, response);
    deleteLater();
}

void PhoenixPush::finishLater(Result result, const QJsonValue &response, const QString &error)
{
    // Used when the outcome is known while the push is being created: the
    // caller has had no chance to connect to finished() yet.
    if (m_finished)
        return;
    m_finished = true;
    cancelTimeout();
    m_errorString = error;
    if (auto *channel = qobject_cast<PhoenixChannel *>(parent()))
        channel->pushFinished(this);
    QMetaObject::invokeMethod(
            this,
            [this, result, response] {
                Q_EMIT finished(result, response);
                deleteLater();
            },
            Qt::QueuedConnection);
}
