// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "phoenixglobal.h"

#include <QtCore/QJsonValue>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include "phoenixscheduler.h"

class PhoenixChannel;

/*!
    \class PhoenixPush
    \brief One client message on a channel and its outcome.

    Owned by its channel; it deletes itself (deleteLater()) after finished()
    was emitted, so hold it in a QPointer. finished() is emitted exactly once
    and never synchronously from the call that created the push.

    \sa PhoenixChannel::push()
*/
class MUSUBI_PHOENIX_EXPORT PhoenixPush : public QObject
{
    Q_OBJECT
public:
    /*! Ok / Error: the server replied with that status. Timeout: no reply in
        time. Failed: never sent, or aborted before a reply (see errorString()). */
    enum class Result { Ok, Error, Timeout, Failed };
    Q_ENUM(Result)

    ~PhoenixPush() override;

    //! The ref of the last send; empty while not sent yet.
    QString ref() const;
    //! The pushed event, e.g. \c command (named so as not to hide QObject::event()).
    QString eventName() const;
    //! The topic of the channel the push belongs to.
    QString topic() const;
    //! Why the push failed, when finished with Result::Failed (or Timeout).
    QString errorString() const;
    bool isFinished() const;
    //! Raw response of a binary reply frame (a Musubi server never sends one).
    QByteArray binaryResponse() const;

Q_SIGNALS:
    //! The outcome; \a response is the reply's "response" (null if absent) for Ok and Error.
    void finished(PhoenixPush::Result result, const QJsonValue &response);

private:
    friend class PhoenixChannel;
    friend class PhoenixSocket;
    PhoenixPush(PhoenixChannel *channel, const QString &event, int timeoutMs);

    void startTimeout(PhoenixScheduler *scheduler);
    void cancelTimeout();
    void finish(Result result, const QJsonValue &response, const QString &error = {});
    void finishLater(Result result, const QJsonValue &response, const QString &error = {});

    QString m_topic;
    QString m_event;
    QString m_ref;
    QString m_joinRef;
    QJsonValue m_payload;
    QByteArray m_binaryPayload;
    bool m_binary = false;
    bool m_sent = false;
    bool m_finished = false;
    int m_timeoutMs = 0;
    QString m_errorString;
    QByteArray m_binaryResponse;
    QPointer<PhoenixScheduler> m_scheduler;
    PhoenixScheduler::TimerId m_timer = 0;
};
