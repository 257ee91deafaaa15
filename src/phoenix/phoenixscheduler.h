// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "phoenixglobal.h"

#include <QtCore/QHash>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>

class QTimer;

class MUSUBI_PHOENIX_EXPORT PhoenixScheduler : public QObject
{
    Q_OBJECT
public:
    using TimerId = quint64;

    explicit PhoenixScheduler(QObject *parent = nullptr);
    ~PhoenixScheduler() override;

    virtual qint64 now() const = 0;

    virtual TimerId schedule(qint64 delayMs, QObject *context, std::function<void()> callback) = 0;

    virtual void cancel(TimerId id) = 0;
};

class MUSUBI_PHOENIX_EXPORT PhoenixTimerScheduler : public PhoenixScheduler
{
    Q_OBJECT
public:
    explicit PhoenixTimerScheduler(QObject *parent = nullptr);
    ~PhoenixTimerScheduler() override;

    qint64 now() const override;
    TimerId schedule(qint64 delayMs, QObject *context, std::function<void()> callback) override;
    void cancel(TimerId id) override;

private:
    qint64 m_epoch = 0;
    TimerId m_nextId = 1;
    QHash<TimerId, QTimer *> m_timers;
};

class MUSUBI_PHOENIX_EXPORT PhoenixManualScheduler : public PhoenixScheduler
{
    Q_OBJECT
public:
    explicit PhoenixManualScheduler(QObject *parent = nullptr);
    ~PhoenixManualScheduler() override;

    qint64 now() const override;
    TimerId schedule(qint64 delayMs, QObject *context, std::function<void()> callback) override;
    void cancel(TimerId id) override;

    void advance(qint64 ms);
    int pendingCount() const;
    qint64 msUntilNext() const;
    QList<qint64> pendingDelays() const;

private:
    struct Entry
    {
        TimerId id;
        qint64 due;
        QPointer<QObject> context;
        std::function<void()> callback;
    };
    qint64 m_now = 0;
    TimerId m_nextId = 1;
    QList<Entry> m_entries;
};

class MUSUBI_PHOENIX_EXPORT PhoenixSingleShot
{
public:
    PhoenixSingleShot() = default;
    PhoenixSingleShot(const PhoenixSingleShot &) = delete;
    PhoenixSingleShot &operator=(const PhoenixSingleShot &) = delete;
    ~PhoenixSingleShot() { cancel(); }

    void start(PhoenixScheduler *scheduler, qint64 delayMs, QObject *context,
               std::function<void()> callback)
    {
        cancel();
        if (!scheduler)
            return;
        m_scheduler = scheduler;
        m_id = scheduler->schedule(delayMs, context, [this, callback = std::move(callback)] {
            m_id = 0;
            callback();
        });
    }
    void cancel()
    {
        if (m_id && m_scheduler)
            m_scheduler->cancel(m_id);
        m_id = 0;
    }
    bool isActive() const { return m_id != 0 && m_scheduler; }

private:
    QPointer<PhoenixScheduler> m_scheduler;
    PhoenixScheduler::TimerId m_id = 0;
};
