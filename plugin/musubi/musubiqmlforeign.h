// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// The data-plane classes are used from QML as they are: these declarations
// only register them (with the full type information qt_extract_metatypes()
// gives), so the core library carries no QML macros.
#include "musubicommanderror.h"
#include "musubiconnection.h"
#include "musubiroot.h"
#include "musubistore.h"
#include "musubistoreref.h"
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
    that resolves with the reply or rejects with a MusubiCommandError value
    (\c{error.kind === MusubiCommandError.Timeout}, \c code, \c message,
    \c command, \c storeId, \c reply); with callbacks,
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

/*!
    \qmltype MusubiConnection
    \inqmlmodule Musubi
    \brief One socket to a Musubi server, shared by every MusubiRoot that names it.

    The C++ MusubiConnection itself. Created by QML it opens itself once the
    component is complete, \c active is true and \c url is set, and closes
    when \c active becomes false, the URL is cleared or the object is
    destroyed. Changing \c url, \c params, \c protocol or \c baseTopic of
    an open connection reopens it (roots keep their last good state and
    mount again).

    \qml
    MusubiConnection {
        id: connection
        url: "ws://127.0.0.1:4000/socket"
        params: ({ token: "secret" })
    }
    \endqml

    External-mode uploads (docs/protocol.md §8.7) need an uploader registered
    under the name the server asks for; \c uploaders maps those names to
    MusubiHttpUploader or MusubiScriptUploader objects:

    \qml
    MusubiConnection {
        url: "ws://127.0.0.1:4000/socket"
        uploaders: ({ s3: http })
    }
    MusubiHttpUploader { id: http }
    \endqml

    Status values: \c MusubiConnection.Connecting, \c Connected,
    \c Reconnecting, \c Closed. Protocol values: \c MusubiConnection.Auto,
    \c SharedChannel, \c PerRootChannel.
*/
struct MusubiConnectionForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiConnection)
    QML_NAMED_ELEMENT(MusubiConnection)
};

/*!
    \qmltype MusubiRoot
    \inqmlmodule Musubi
    \brief A mounted root store: its \c store, its status and its push events.

    The C++ MusubiRoot itself, so a C++ subclass registered for QML is a
    MusubiRoot too (e.g. for MusubiStatusBanner.root). The instance id of the
    mount (the wire \c id) is the \c instanceId property, because \c id is
    reserved by QML; \c rootId is the read-only wire root id
    \c{"<module>:<instanceId>"}.

    Created by QML, the root mounts once the component is complete,
    \c active is true, a connection, a module and an instance id are set (and
    the connection, when created by QML, is active and has a URL). It
    unmounts when \c active becomes false or the object is destroyed.
    Changing \c connection, \c module, \c instanceId or \c params while
    mounted remounts (one remount per event-loop turn, however many of them
    changed).

    \qml
    MusubiRoot {
        id: cart
        connection: connection
        module: "Shop.CartStore"
        instanceId: "cart-7"
        onEventReceived: (storeId, name, payload) => console.log(name, JSON.stringify(payload))
    }
    Text { text: cart.ready ? cart.store.total : "" }
    \endqml

    \c store is the root MusubiStore (null until the first state arrives);
    \c ready is true once it exists and stays true while \c status is
    \c MusubiRoot.Reconnecting (the last good state stays readable), false
    again after an unmount. Status values: \c MusubiRoot.Unmounted,
    \c Connecting, \c Live, \c Reconnecting, \c Failed (\c errorString says
    why, \c errorReply holds the server's error response, if any).
*/
struct MusubiRootForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiRoot)
    QML_NAMED_ELEMENT(MusubiRoot)
};

/*!
    \qmltype MusubiStoreRef
    \inqmlmodule Musubi
    \brief Follows one store of a root by its id: \c store while it exists, \c null otherwise.

    \qml
    MusubiStoreRef { id: cart; root: shop; storeId: ["cart"] }
    Text { visible: cart.exists; text: cart.exists ? cart.store.total : "" }
    \endqml

    \c root and \c storeId (a JS array of strings, \c [] the root store) name
    the store; the read-only \c store and \c exists change when it appears
    (with the first state or a later patch) or vanishes (a patch removed it,
    the root unmounted). Hold \c store in a \c var to read its fields.
*/
struct MusubiStoreRefForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiStoreRef)
    QML_NAMED_ELEMENT(MusubiStoreRef)
};

/*!
    \qmltype commandError
    \inqmlmodule Musubi
    \brief Why a command failed, as a value: MusubiCommand.error, the
    argument of MusubiCommand.failed() and the rejection of store.dispatch().

    Read-only properties: \c kind (compare with \c MusubiCommandError.Failed,
    \c Timeout, \c NotConnected, \c Disconnected, \c VersionMismatch,
    \c Unmounted), \c kindName (\c "timeout", ...), \c command, \c storeId,
    \c reply (the server's error response of a \c Failed command), \c code
    and \c message.

    \qml
    if (checkout.error && checkout.error.kind === MusubiCommandError.Timeout)
        retry.visible = true
    \endqml
*/
struct MusubiCommandErrorForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiCommandError)
    QML_VALUE_TYPE(commandError)
};

/*!
    \qmltype MusubiCommandError
    \inqmlmodule Musubi
    \brief The kinds of a command failure: \c MusubiCommandError.Failed,
    \c Timeout, \c NotConnected, \c Disconnected, \c VersionMismatch, \c Unmounted.

    The values of the \c kind of a \l commandError.
*/
namespace MusubiCommandErrorForeignNamespace {
Q_NAMESPACE
QML_FOREIGN_NAMESPACE(MusubiCommandError)
QML_NAMED_ELEMENT(MusubiCommandError)
} // namespace MusubiCommandErrorForeignNamespace
