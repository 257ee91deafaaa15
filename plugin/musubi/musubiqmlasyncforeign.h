// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// QML registration of the async value status of musubi_core (docs/protocol.md §7).
#include "musubiasync.h"

#include <QtQml/qqml.h> // not only qqmlregistration.h: QML_FOREIGN needs QQmlPrivate

/*!
    \qmltype MusubiAsync
    \inqmlmodule Musubi
    \brief The status values of an async store field (enumeration only).

    An async field reads as \c{{status, data, error}} with \c status one of
    \c{MusubiAsync.Loading}, \c{MusubiAsync.Ok} and \c{MusubiAsync.Failed}:

    \qml
    BusyIndicator { running: store.profile.status === MusubiAsync.Loading }
    Label {
        text: store.profile.status === MusubiAsync.Ok ? store.profile.data.name
            : store.profile.status === MusubiAsync.Failed ? "failed" : "…"
    }
    \endqml
*/
namespace MusubiAsyncForeign {
Q_NAMESPACE
QML_FOREIGN_NAMESPACE(MusubiAsync)
QML_NAMED_ELEMENT(MusubiAsync)
} // namespace MusubiAsyncForeign
