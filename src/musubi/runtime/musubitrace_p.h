// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include "musubitrace.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace Musubi::detail {

/*
    \internal
    The emitting side of MusubiTrace. Every hook first asks listening() (one
    connected-signal check) and builds its record only when it is true, so a
    connection nobody inspects pays one branch per envelope or command.
*/
struct TraceSink
{
    // Whether anything listens to \a trace (a null \a trace never does).
    static bool listening(const MusubiTrace *trace) { return trace && trace->isListening(); }
    // Adds \c kind and \c at (ms since the epoch) to \a record and emits it.
    static void emitRecord(MusubiTrace *trace, const QString &kind, QJsonObject record);
    // Names used in records: lower-case with underscores (\c torn_down, \c not_connected).
    static QString enumName(const char *key);
};

} // namespace Musubi::detail
