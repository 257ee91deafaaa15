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

/*!
    \class PhoenixScheduler
    \brief The time seam of the Phoenix client: a clock plus one-shot timers.

    Every delay the client waits on (heartbeat, reconnect and rejoin ladders,
    join and push timeouts) goes through a scheduler, so tests can replace
    wall-clock time with PhoenixManualScheduler and run without sleeping.

    A callback is bound to a \a context object: it is never run once the
    context has been destroyed.

    \sa PhoenixTimerScheduler, PhoenixManualScheduler, PhoenixSocket::setScheduler()
*/
class MUSUBI_PHOENIX_EXPORT PhoenixScheduler : public QObject
{
    Q_OBJECT
public:
    //! Identifies a scheduled callback. 0 is never a valid id.
    using TimerId = quint64;

    explicit PhoenixScheduler(QObject *parent = nullptr);
    ~PhoenixScheduler() override;

    //! Milliseconds on a monotonic clock.
    virtual qint64 now() const = 0;

    /*! Runs \a callback once after \a delayMs milliseconds (0 or negative:
        as soon as possible, never synchronously). Returns an id for cancel(). */
    virtual TimerId schedule(qint64 delayMs, QObject *context, std::function<void()> callback) = 0;

    //! Cancels a pending callback. Unknown or already fired ids are ignored.
    virtual void cancel(TimerId id) = 0;
};

/*!
    \class PhoenixTimerScheduler
    \brief The default PhoenixScheduler: QTimer and QElapsedTimer.
*/
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

/*!
    \class PhoenixManualScheduler
    \brief A virtual-time PhoenixScheduler for deterministic tests.

    Time only moves when advance() is called. Callbacks due within the
    advanced span run in due-time order (ties in scheduling order), with
    now() set to their due time, including callbacks they schedule.
*/
class MUSUBI_PHOENIX_EXPORT PhoenixManualScheduler : public PhoenixScheduler
{
    Q_OBJECT
public:
    explicit PhoenixManualScheduler(QObject *parent = nullptr);
    ~PhoenixManualScheduler() override;

    qint64 now() const override;
    TimerId schedule(qint64 delayMs, QObject *context, std::function<void()> callback) override;
    void cancel(TimerId id) override;

    //! Moves virtual time forward by \a ms, running every callback that falls due.
    void advance(qint64 ms);
    //! Number of pending callbacks (whose context is alive).
    int pendingCount() const;
    //! Milliseconds until the next pending callback, or -1 if none.
    qint64 msUntilNext() const;
    //! Delays (relative to now) of every pending callback, ascending.
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

/*!
    \class PhoenixSingleShot
    \brief One restartable one-shot timer on a PhoenixScheduler, like a single-shot QTimer.

    start() (re)arms it, cancel() disarms it, isActive() says whether it is
    armed. The callback runs only while \a context lives; the timer cancels
    itself when destroyed, and outliving its scheduler is safe. Keep it as a
    member of the context object.
*/
class MUSUBI_PHOENIX_EXPORT PhoenixSingleShot
{
public:
    PhoenixSingleShot() = default;
    PhoenixSingleShot(const PhoenixSingleShot &) = delete;
    PhoenixSingleShot &operator=(const PhoenixSingleShot &) = delete;
    ~PhoenixSingleShot() { cancel(); }

    //! Arms the timer: \a callback runs once after \a delayMs on \a scheduler.
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
    //! Disarms the timer; nothing happens if it is not armed.
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
