// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixscheduler.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>

#include <algorithm>

/*!
    \class PhoenixScheduler
    \inmodule MusubiPhoenix
    \inheaderfile phoenixscheduler.h
    \brief The time seam of the Phoenix client: a clock plus one-shot timers.

    Every delay the client waits on (heartbeat, reconnect and rejoin ladders,
    join and push timeouts) goes through a scheduler, so tests can replace
    wall-clock time with PhoenixManualScheduler and run without sleeping.

    A callback is bound to a \a context object: it is never run once the
    context has been destroyed.

    \sa PhoenixTimerScheduler, PhoenixManualScheduler, PhoenixSocket::setScheduler()
*/

/*!
    \typealias PhoenixScheduler::TimerId

    Identifies a scheduled callback. 0 is never a valid id.
*/

/*!
    \class PhoenixTimerScheduler
    \inmodule MusubiPhoenix
    \inheaderfile phoenixscheduler.h
    \brief The default PhoenixScheduler: QTimer and QElapsedTimer.
*/

/*!
    \class PhoenixManualScheduler
    \inmodule MusubiPhoenix
    \inheaderfile phoenixscheduler.h
    \brief A virtual-time PhoenixScheduler for deterministic tests.

    Time only moves when advance() is called. Callbacks due within the
    advanced span run in due-time order (ties in scheduling order), with
    now() set to their due time, including callbacks they schedule.
*/

/*!
    \class PhoenixSingleShot
    \inmodule MusubiPhoenix
    \inheaderfile phoenixscheduler.h
    \brief One restartable one-shot timer on a PhoenixScheduler, like a single-shot QTimer.

    start() (re)arms it, cancel() disarms it, isActive() says whether it is
    armed. The callback runs only while \a context lives; the timer cancels
    itself when destroyed, and outliving its scheduler is safe. Keep it as a
    member of the context object.
*/

/*!
    \fn qint64 PhoenixScheduler::now() const

    Returns the current time in milliseconds on a monotonic clock.
*/

/*!
    \fn TimerId PhoenixScheduler::schedule(qint64 delayMs, QObject *context, std::function<void()>
   callback)

    Runs \a callback once after \a delayMs milliseconds (0 or negative:
    as soon as possible, never synchronously), unless \a context has been
    destroyed by then. Returns an id for cancel().
*/

/*!
    \fn void PhoenixScheduler::cancel(TimerId id)

    Cancels the pending callback \a id. Unknown or already fired ids are ignored.
*/

/*!
    \fn void PhoenixSingleShot::start(PhoenixScheduler *scheduler, qint64 delayMs, QObject *context,
   std::function<void()> callback)

    Arms the timer: \a callback runs once after \a delayMs on \a scheduler,
    unless \a context has been destroyed by then. A timer that was armed is
    re-armed; a null \a scheduler only disarms it.
*/

/*!
    \fn PhoenixSingleShot::PhoenixSingleShot()

    Constructs a disarmed timer.
*/

/*!
    \fn bool PhoenixSingleShot::isActive() const

    Returns whether the timer is armed.
*/

/*!
    \fn void PhoenixSingleShot::cancel()

    Disarms the timer; nothing happens if it is not armed.
*/

/*!
    Constructs a scheduler with the given \a parent.
*/
PhoenixScheduler::PhoenixScheduler(QObject *parent)
    : QObject(parent)
{ }

PhoenixScheduler::~PhoenixScheduler() = default;

// ---------------------------------------------------------------------------

/*!
    Constructs a wall-clock scheduler with the given \a parent.
*/
PhoenixTimerScheduler::PhoenixTimerScheduler(QObject *parent)
    : PhoenixScheduler(parent)
{ }

PhoenixTimerScheduler::~PhoenixTimerScheduler() = default;

qint64 PhoenixTimerScheduler::now() const
{
    // Monotonic, unaffected by wall-clock changes.
    return QDeadlineTimer::current().deadline();
}

PhoenixScheduler::TimerId PhoenixTimerScheduler::schedule(qint64 delayMs, QObject *context,
                                                          std::function<void()> callback)
{
    const TimerId id = m_nextId++;
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer);
    m_timers.insert(id, timer);
    QPointer<QObject> guard(context);
    connect(timer, &QTimer::timeout, this, [this, id, guard, callback = std::move(callback)] {
        if (QTimer *t = m_timers.take(id))
            t->deleteLater();
        if (guard)
            callback();
    });
    timer->start(int(std::clamp<qint64>(delayMs, 0, std::numeric_limits<int>::max())));
    return id;
}

void PhoenixTimerScheduler::cancel(TimerId id)
{
    if (QTimer *timer = m_timers.take(id)) {
        timer->stop();
        timer->deleteLater();
    }
}

// ---------------------------------------------------------------------------

/*!
    Constructs a virtual-time scheduler at time 0 with the given \a parent.
*/
PhoenixManualScheduler::PhoenixManualScheduler(QObject *parent)
    : PhoenixScheduler(parent)
{ }

PhoenixManualScheduler::~PhoenixManualScheduler() = default;

qint64 PhoenixManualScheduler::now() const
{
    return m_now;
}

PhoenixScheduler::TimerId PhoenixManualScheduler::schedule(qint64 delayMs, QObject *context,
                                                           std::function<void()> callback)
{
    const TimerId id = m_nextId++;
    m_entries.append(Entry{id, m_now + std::max<qint64>(delayMs, 0), context, std::move(callback)});
    return id;
}

void PhoenixManualScheduler::cancel(TimerId id)
{
    m_entries.removeIf([id](const Entry &e) { return e.id == id; });
}

/*!
    Moves virtual time forward by \a ms, running every callback that falls due.
*/
void PhoenixManualScheduler::advance(qint64 ms)
{
    const qint64 target = m_now + std::max<qint64>(ms, 0);
    for (;;) {
        // Earliest due entry; ties broken by id (scheduling order).
        qsizetype best = -1;
        for (qsizetype i = 0; i < m_entries.size(); ++i) {
            const Entry &e = m_entries.at(i);
            if (e.due > target)
                continue;
            if (best < 0 || e.due < m_entries.at(best).due
                || (e.due == m_entries.at(best).due && e.id < m_entries.at(best).id))
                best = i;
        }
        if (best < 0)
            break;
        Entry entry = m_entries.takeAt(best);
        m_now = std::max(m_now, entry.due);
        if (entry.context)
            entry.callback();
    }
    m_now = target;
}

/*!
    Returns the number of pending callbacks (whose context is alive).
*/
int PhoenixManualScheduler::pendingCount() const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(),
                             [](const Entry &e) { return !e.context.isNull(); }));
}

/*!
    Returns the milliseconds until the next pending callback, or -1 if none.
*/
qint64 PhoenixManualScheduler::msUntilNext() const
{
    const QList<qint64> delays = pendingDelays();
    return delays.isEmpty() ? -1 : delays.first();
}

/*!
    Returns the delays (relative to now) of every pending callback, ascending.
*/
QList<qint64> PhoenixManualScheduler::pendingDelays() const
{
    QList<qint64> delays;
    for (const Entry &e : m_entries) {
        if (e.context)
            delays.append(e.due - m_now);
    }
    std::sort(delays.begin(), delays.end());
    return delays;
}
