// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixpush.h"

#include "phoenixchannel.h"

/*!
    \class PhoenixPush
    \inmodule MusubiPhoenix
    \inheaderfile phoenixpush.h
    \brief One client message on a channel and its outcome.

    Owned by its channel; it deletes itself (deleteLater()) after finished()
    was emitted, so hold it in a QPointer. finished() is emitted exactly once
    and never synchronously from the call that created the push.

    \sa PhoenixChannel::push()
*/

/*!
    \enum PhoenixPush::Result

    The outcome of a push.

    \value Ok The server replied with status \c ok.
    \value Error The server replied with status \c error.
    \value Timeout No reply in time.
    \value Failed Never sent, or aborted before a reply (see errorString()).
*/

/*!
    \fn void PhoenixPush::finished(PhoenixPush::Result result, const QJsonValue &response)

    Emitted once with the outcome: \a result, and for Ok and Error the
    reply's \c response as \a response (null if absent).
*/

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

/*!
    Returns the ref of the last send; empty while not sent yet.
*/
QString PhoenixPush::ref() const
{
    return m_ref;
}

/*!
    Returns the pushed event, e.g. \c command (named so as not to hide QObject::event()).
*/
QString PhoenixPush::eventName() const
{
    return m_event;
}

/*!
    Returns the topic of the channel the push belongs to.
*/
QString PhoenixPush::topic() const
{
    return m_topic;
}

/*!
    Returns why the push failed, when finished with Result::Failed (or Timeout).
*/
QString PhoenixPush::errorString() const
{
    return m_errorString;
}

/*!
    Returns whether finished() was emitted.
*/
bool PhoenixPush::isFinished() const
{
    return m_finished;
}

/*!
    Returns the raw response of a binary reply frame (a Musubi server never sends one).
*/
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
