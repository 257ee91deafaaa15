// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// The data-plane classes are used from QML as they are: these declarations
// only register them (with the full type information qt_extract_metatypes()
// gives), so the core library carries no QML macros.
#include "musubiconnection.h"
#include "musubiroot.h"
#include "musubistore.h"
#include "musubistoretree.h"
#include "musubistreammodel.h"
#include "musubiupload.h"

#include <QtQml/qqml.h> // not only qqmlregistration.h: QML_FOREIGN needs QQmlPrivate

/*!
    \qmltype MusubiStore
    \inqmlmodule Musubi
    \brief One store of a mounted root: its fields are its properties.

    Read fields as properties (\c{store.count}, \c{store.cart.total}): a
    child store is itself a MusubiStore, a stream field is a
    MusubiStreamModel usable as a view's model, an async field is an object
    \c{{status, data, error, loading, ok, failed}}. \c storeId is the
    server-authored id (\c [] for the root).

    \c{store.dispatch(name, payload)} sends a command and returns a Promise
    that resolves with the reply or rejects with an error object
    \c{{kind, code, message, command, storeId, reply}}; with callbacks,
    \c{store.dispatch(name, payload, reply => ..., error => ...)} (the
    Promise then resolves with \c undefined on failure, since the error
    callback handled it). For declarative use see MusubiCommand. A server
    field named \c dispatch hides the function.

    Stores are owned by C++ and are never collected by QML; a store that
    vanishes on the server turns into \c null. Writing a field from QML is
    refused with a warning: state changes go through commands.
*/
struct MusubiStoreForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiStore)
    QML_NAMED_ELEMENT(MusubiStore)
    QML_UNCREATABLE("Stores come from MusubiRoot.store; they are owned by the root.")
};

/*!
    \qmltype MusubiStreamModel
    \inqmlmodule Musubi
    \brief The items of one stream field, as a list model.

    Roles: \c key, \c item (also \c modelData) and one role per field of
    object items. Inserts, removals and moves arrive as row changes; the model
    is only reset by an explicit stream reset.
*/
struct MusubiStreamModelForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiStreamModel)
    QML_NAMED_ELEMENT(MusubiStreamModel)
    QML_UNCREATABLE("Stream models are fields of a MusubiStore.")
};

/*!
    \qmltype MusubiUpload
    \inqmlmodule Musubi
    \brief The upload handle of an upload field of a MusubiStore.
*/
struct MusubiUploadForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiUpload)
    QML_NAMED_ELEMENT(MusubiUpload)
    QML_UNCREATABLE("Upload handles are fields of a MusubiStore.")
};

//! The data plane of a root, reachable from C++ only; registered so tooling knows it.
struct MusubiStoreTreeForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiStoreTree)
    QML_ANONYMOUS
};

/* The core MusubiConnection and MusubiRoot are the C++ types of properties such as
   MusubiRoot.connection. Registered without a QML name (QML's MusubiConnection and
   MusubiRoot are the creatable subclasses), so that the engine knows the property
   types: without this, `connection: MusubiConnection { ... }` fails with "Cannot
   assign to property of unknown type". */
struct MusubiCoreConnectionForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiConnection)
    QML_ANONYMOUS
};

struct MusubiCoreRootForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiRoot)
    QML_ANONYMOUS
};
