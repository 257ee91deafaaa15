// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiasync.h"

#include <QtCore/QVariantMap>

using namespace Qt::StringLiterals;

/*!
    \namespace MusubiAsync
    \inmodule MusubiCore
    \inheaderfile musubiasync.h
    \brief The status of an async value (docs/protocol.md §7).

    A store field that holds a \c Musubi.AsyncResult reads, on the
    MusubiStore (and so in QML), as a map \c{{status, data, error}}:
    \c status is a MusubiAsync::Status, \c data the resolved \c result (the
    previous value while loading or after a failure), \c error the raw
    \c reason (\c null unless failed).

    \qml
    Column {
        BusyIndicator { running: store.profile.status === MusubiAsync.Loading }
        Label {
            visible: store.profile.status === MusubiAsync.Failed
            text: "Failed: " + JSON.stringify(store.profile.error)
        }
    }
    \endqml

    The wire strings (\c loading, \c ok, \c failed) stay on the wire: the raw
    tree (MusubiRoot::snapshot(), MusubiStoreTree::tree()) and the JSON view
    (MusubiStoreTree::resolvedState()) keep them.

    \sa MusubiStore
*/

/*!
    \enum MusubiAsync::Status

    The status of an async value; its wire string is wireStatus().

    \value Loading The value is being computed; \c data is the previous value or null.
    \value Ok \c data is the result.
    \value Failed \c error says why; \c data is the previous value or null.
*/

// The one place where async statuses meet their wire strings (docs/protocol.md §7).
/*!
    Returns the status of the wire string \a wire (\c loading, \c ok, \c failed),
    or \c std::nullopt for anything else.

    \sa wireStatus()
*/
std::optional<MusubiAsync::Status> MusubiAsync::statusFromWire(QStringView wire)
{
    if (wire == "loading"_L1)
        return Status::Loading;
    if (wire == "ok"_L1)
        return Status::Ok;
    if (wire == "failed"_L1)
        return Status::Failed;
    return std::nullopt;
}

/*!
    Returns the wire string of \a status.

    \sa statusFromWire()
*/
QString MusubiAsync::wireStatus(Status status)
{
    switch (status) {
    case Status::Loading:
        return u"loading"_s;
    case Status::Ok:
        return u"ok"_s;
    case Status::Failed:
        return u"failed"_s;
    }
    return QString();
}

/*!
    Returns the status of \a value, an async value as a MusubiStore field holds it
    (\c{{status, data, error}}), or \c std::nullopt when \a value is not one.
*/
std::optional<MusubiAsync::Status> MusubiAsync::statusOf(const QVariant &value)
{
    if (value.metaType() != QMetaType::fromType<QVariantMap>())
        return std::nullopt;
    const QVariant status = value.toMap().value(u"status"_s);
    if (status.metaType() != QMetaType::fromType<Status>())
        return std::nullopt;
    return status.value<Status>();
}
