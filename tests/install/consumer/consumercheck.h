// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// Helpers of the consumer's programs (main.cpp, qmlplugin.cpp).
#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStringList>

#include <cstdio>
#include <functional>

namespace ConsumerCheck {

inline bool waitFor(const std::function<bool()> &condition)
{
    QDeadlineTimer deadline(10000);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

inline int fail(const char *what)
{
    std::fprintf(stderr, "%s: FAILED: %s\n", qPrintable(QCoreApplication::applicationName()), what);
    return 1;
}

// The directory everything Musubi must be loaded from: the install test's prefix.
inline QString expectedPrefix()
{
#ifdef MUSUBI_EXPECTED_PREFIX
    return QDir::cleanPath(QStringLiteral(MUSUBI_EXPECTED_PREFIX));
#else
    return QStringLiteral("/");
#endif
}

// The shared objects of this process whose file name contains \a name.
inline QStringList loadedFrom(const QString &name)
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    QStringList paths;
    if (!maps.open(QIODevice::ReadOnly))
        return paths;
    const QList<QByteArray> lines = maps.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype slash = line.indexOf('/');
        if (slash < 0)
            continue;
        const QString path = QString::fromUtf8(line.mid(slash));
        if (path.contains(name) && !paths.contains(path))
            paths.append(path);
    }
    return paths;
}

// Whether shared objects named like \a name were loaded, all from the prefix
// (each one that is not is printed).
inline bool loadedFromPrefix(const QString &name)
{
    const QStringList paths = loadedFrom(name);
    bool ok = !paths.isEmpty();
    for (const QString &path : paths) {
        if (!path.startsWith(expectedPrefix())) {
            std::fprintf(stderr, "%s is not under %s\n", qPrintable(path),
                         qPrintable(expectedPrefix()));
            ok = false;
        }
    }
    return ok;
}

} // namespace ConsumerCheck
