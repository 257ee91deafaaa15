// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QVariant>

#include <optional>

/*!
    \namespace MusubiAsync
    \brief The status of an async value (docs/protocol.md §7).

    A store field that holds a \c Musubi.AsyncResult reads, on the
    MusubiStore (and so in QML), as a map \c{{status, data, error}}:
    \c status is a MusubiAsync::Status, \c data the resolved \c result (the
    previous value while loading or after a failure), \c error the raw
    \c reason (\c null unless failed).

    \qml
    BusyIndicator { running: store.profile.status === MusubiAsync.Loading }
    Label {
        visible: store.profile.status === MusubiAsync.Failed
        text: "Failed: " + JSON.stringify(store.profile.error)
    }
    \endqml

    The wire strings (\c loading, \c ok, \c failed) stay on the wire: the raw
    tree (MusubiRoot::snapshot(), MusubiStoreTree::tree()) and the JSON view
    (MusubiStoreTree::resolvedState()) keep them.

    \sa MusubiStore
*/
namespace MusubiAsync {
Q_NAMESPACE_EXPORT(MUSUBI_CORE_EXPORT)

/*!
    \enum MusubiAsync::Status
    \value Loading The value is being computed; \c data is the previous value or null.
    \value Ok      \c data is the result.
    \value Failed  \c error says why; \c data is the previous value or null.
*/
enum class Status { Loading, Ok, Failed };
Q_ENUM_NS(Status)

/*! \brief The status of wire string \a wire (\c loading, \c ok, \c failed), or
    \c std::nullopt for anything else. \sa wireStatus() */
MUSUBI_CORE_EXPORT std::optional<Status> statusFromWire(QStringView wire);
/*! \brief The wire string of \a status. \sa statusFromWire() */
MUSUBI_CORE_EXPORT QString wireStatus(Status status);
/*! \brief The status of \a value, an async value as a MusubiStore field holds it
    (\c{{status, data, error}}), or \c std::nullopt when \a value is not one. */
MUSUBI_CORE_EXPORT std::optional<Status> statusOf(const QVariant &value);
} // namespace MusubiAsync
