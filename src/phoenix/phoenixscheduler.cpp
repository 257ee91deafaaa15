// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "phoenixscheduler.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>

#include <algorithm>

PhoenixScheduler::PhoenixScheduler(QObject *parent)
    : QObject(parent)
{ }

PhoenixScheduler::~PhoenixScheduler() = default;

// ---------------------------------------------------------------------------

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

int PhoenixManualScheduler::pendingCount() const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(),
                             [](const Entry &e) { return !e.context.isNull(); }));
}

qint64 PhoenixManualScheduler::msUntilNext() const
{
    const QList<qint64> delays = pendingDelays();
    return delays.isEmpty() ? -1 : delays.first();
}

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
