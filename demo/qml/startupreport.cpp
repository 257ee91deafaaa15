// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "startupreport.h"

#include <QtCore/QMetaProperty>
#include <QtQuick/QQuickWindow>

#include <cstdio>

using namespace Qt::StringLiterals;

StartupReport::StartupReport(QQuickWindow *window, const QElapsedTimer &clock)
    : QObject(window)
    , m_window(window)
    , m_clock(clock)
{
    m_milestones[0].label = "first frame";
    m_milestones[0].stage = Armed;
    m_milestones[1].label = "saved data on screen";
    m_milestones[1].property = "currentPageFromCache";
    m_milestones[2].label = "live data on screen";
    m_milestones[2].property = "currentPageReady";

    const QMetaMethod armSlot = metaObject()->method(metaObject()->indexOfSlot("arm()"));
    for (const Milestone &milestone : m_milestones) {
        if (!milestone.property)
            continue;
        const QMetaObject *meta = window->metaObject();
        const QMetaProperty property = meta->property(meta->indexOfProperty(milestone.property));
        Q_ASSERT(property.hasNotifySignal());
        connect(window, property.notifySignal(), this, armSlot);
    }
    // The GUI thread's last stop before the scene graph copies the state of a frame.
    connect(window, &QQuickWindow::afterAnimating, this, &StartupReport::beforeSync);
    // Render thread (threaded render loop) or GUI thread: direct, and only atomics there.
    connect(window, &QQuickWindow::afterSynchronizing, this, &StartupReport::afterSync,
            Qt::DirectConnection);
    connect(window, &QQuickWindow::frameSwapped, this, &StartupReport::swapped,
            Qt::DirectConnection);
    arm();
}

void StartupReport::arm()
{
    for (Milestone &milestone : m_milestones) {
        if (milestone.property && milestone.stage == Idle
            && m_window->property(milestone.property).toBool()) {
            milestone.stage = Armed;
        }
    }
}

void StartupReport::beforeSync()
{
    for (Milestone &milestone : m_milestones) {
        if (milestone.stage != Armed)
            continue;
        // Only the GUI thread moves a milestone out of Armed.
        if (milestone.property && !m_window->property(milestone.property).toBool()) {
            milestone.stage = Idle; // it was true between two frames only
            continue;
        }
        milestone.summary = m_window->property("currentPageSummary").toString();
        milestone.stage = AwaitingSync;
    }
}

void StartupReport::afterSync()
{
    for (Milestone &milestone : m_milestones) {
        int awaiting = AwaitingSync;
        milestone.stage.compare_exchange_strong(awaiting, Synced);
    }
}

void StartupReport::swapped()
{
    const qint64 ms = m_clock.elapsed();
    for (Milestone &milestone : m_milestones) {
        int synced = Synced;
        if (milestone.stage.compare_exchange_strong(synced, Done)) {
            // Print from the GUI thread, which owns the summary.
            QMetaObject::invokeMethod(
                    this, [this, &milestone, ms] { print(milestone, ms); }, Qt::QueuedConnection);
        }
    }
}

void StartupReport::print(const Milestone &milestone, qint64 ms)
{
    QString line = u"startup: %1 after %2 ms"_s.arg(QLatin1StringView(milestone.label)).arg(ms);
    if (milestone.property && !milestone.summary.isEmpty())
        line += u": "_s + milestone.summary;
    std::printf("%s\n", line.toUtf8().constData());
    std::fflush(stdout);
}
