// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "phoenixglobal.h"

#include <QtCore/QJsonValue>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include "phoenixscheduler.h"

class PhoenixChannel;

class MUSUBI_PHOENIX_EXPORT PhoenixPush : public QObject
{
    Q_OBJECT
public:
    enum class Result { Ok, Error, Timeout, Failed };
    Q_ENUM(Result)

    ~PhoenixPush() override;

    QString ref() const;
    QString eventName() const;
    QString topic() const;
    QString errorString() const;
    bool isFinished() const;
    QByteArray binaryResponse() const;

Q_SIGNALS:
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
