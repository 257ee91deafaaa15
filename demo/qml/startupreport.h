// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <array>
#include <atomic>

class QQuickWindow;

// --report-startup: prints on stdout how many milliseconds after the start of main()
// (the clock main() starts first thing) the window showed its first frame, its first
// frame with saved data (the mount cache) and its first frame with live data, with
// what the page and the status banner said then:
//
//   startup: first frame after 92 ms
//   startup: saved data on screen after 95 ms: count 42 | offline — showing saved data
//   startup: live data on screen after 2310 ms: count 0
//
// "On screen" is the frame swap after the scene graph synchronized the state, not the
// property change: the window's afterAnimating (GUI thread, last stop before a sync),
// afterSynchronizing and frameSwapped (render thread with the threaded render loop).
// Saved data is reported only when the page shows some; a milestone prints once.
class StartupReport : public QObject
{
    Q_OBJECT
public:
    // Watches the window's bool properties currentPageFromCache and currentPageReady,
    // and reads its string property currentPageSummary.
    StartupReport(QQuickWindow *window, const QElapsedTimer &clock);

private Q_SLOTS:
    void arm();

private:
    enum Stage : int { Idle, Armed, AwaitingSync, Synced, Done };
    struct Milestone
    {
        const char *label = nullptr;
        const char *property = nullptr; // nullptr: armed from the start
        std::atomic<int> stage{Idle};
        QString summary; // what the frame shows; GUI thread only
    };

    void beforeSync();
    void afterSync();
    void swapped();
    void print(const Milestone &milestone, qint64 ms);

    QQuickWindow *m_window;
    QElapsedTimer m_clock;
    std::array<Milestone, 3> m_milestones;
};
