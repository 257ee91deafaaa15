// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubistore.h"
#include "musubilogging_p.h"
#include "musubistore_p.h"

#include "musubicommanderror.h"
#include "musubicommanderror_p.h"
#include "musubicommandwatch_p.h"
#include "musubistoretree.h"
#include "musubistoretree_p.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QLoggingCategory>
#include <QtQml/QJSEngine>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcMusubiStore, "musubi.store")

/*!
    \class MusubiStore
    \inmodule MusubiCore
    \inheaderfile musubistore.h
    \brief One mounted store: a read-only QQmlPropertyMap of the store node's fields.

    Values: JSON scalars as QVariant (null as \c std::nullptr_t), plain objects as
    QVariantMap, arrays as QVariantList, a child store node as that child's MusubiStore
    (a \c QObject*), an array of child store nodes as a MusubiStoreListModel (one row per
    child store; it stays the field's value while the array is empty), a stream slot as
    its MusubiStreamModel, an upload slot as its
    MusubiUpload, and an async value as a QVariantMap \c{{status, data, error}} where
    \c status is a MusubiAsync::Status (the wire string only stays in the raw tree and the
    JSON view), \c data the resolved \c result (so a stream marker there becomes the
    MusubiStreamModel) and \c error the raw \c reason. Markers are resolved at any depth
    except inside stream items. (With MusubiStoreTree::setPlainValues(), plain objects and
    arrays are QJsonObject and QJsonArray instead.)

    Keys are written only when their value changed, so a QML binding on \c store.title
    re-evaluates only when the title changed. A key that disappears from the node is
    cleared (reads \c undefined; QQmlPropertyMap cannot remove keys). Writes from QML are
    refused: the value stays and a warning points to dispatch().

    Field names that QQmlPropertyMap reserves (\c keys, \c valueChanged, \c destroyed,
    \c deleteLater, \c QObject) are not exposed as keys; a field named like one of this
    class's own members (\c storeId, \c revision, \c changed, ...) is a key like any other in
    C++ but shadows the member in QML.

    \section1 Made on demand

    The tree keeps every store's wire node and an index of all stores; the MusubiStore
    object of a store is made the first time someone asks for it:
    MusubiStoreTree::store() (MusubiRoot::storeById(), MusubiStoreRef), a read of a
    MusubiStoreListModel row, or a parent store whose field holds it directly (the object
    is then made with its parent). MusubiCommand and MusubiEventHandler given a root and
    a store id need no object: commands go out and events arrive by id. A
    store made late shows the current state at once and emits changed() from the next
    envelope that changes it. Stores nobody asked for cost their wire node only, yet they
    are listed by MusubiStoreTree::storeIds() and by the tree's and the root's
    \c storesChanged, \c storesAdded and \c storesRemoved like any other.

    \section1 Lifetime

    The object belongs to its MusubiStoreTree (C++ ownership, the tree is the parent).
    Identity is stable while the store node exists. When the node vanishes, the object
    is detached from the tree: isAlive() turns \c false and aliveChanged() is emitted
    (before the tree's \c storesRemoved), tree() returns \c nullptr, dispatch() fails with
    \c Unmounted, and the object is deleted later with deleteLater() (QML references
    turn into \c null then; C++ holders use QPointer). Asking the tree again for the same
    id gives \c nullptr, or a new object if the store comes back.

    \sa MusubiStoreTree, MusubiAsync, MusubiCommandError
*/

/*!
    \property MusubiStore::storeId
    \brief the server-authored store id, an array of strings (\c [] for the root store).

    The getter is storeIdJson(); storeIdList() returns the same id as a list of strings.
*/

/*!
    \property MusubiStore::revision
    \brief how many times changed() fired.

    Starts at 0; a binding on it re-evaluates once per accepted envelope that changed
    the store.
*/

/*!
    \fn void MusubiStore::changed()

    Emitted at most once per accepted envelope: when the store's subtree changed by
    value, or when a stream or upload op named this store. Parents are notified before
    their children; see MusubiStoreTree for the rule in full.
*/

/*!
    \property MusubiStore::alive
    \brief whether the store node is still in the tree.

    \c true from creation until the node vanishes (or the root unmounts); then \c false
    for good, and the object is deleted soon after. The getter is isAlive().
*/

/*!
    \fn void MusubiStore::aliveChanged()

    Emitted once, when the store node vanished from the tree (alive turned \c false).
*/

/*!
    \fn void MusubiStore::keysChanged()

    Emitted when the store got keys it did not have (keys() is not a notifying
    property). Emitted after the envelope's key writes, before changed(); not for a
    store's first values.
*/

/*!
    \fn void MusubiStore::eventReceived(const QJsonArray &storeId, const QString &name,
                                        const QJsonValue &payload)

    Emitted for a push event \a name with \a payload addressed to this store (its id
    is \a storeId), after the state of its envelope is applied; the same event as
    MusubiRoot::eventReceived().

    \sa deliverEvent()
*/

MusubiStore::MusubiStore(MusubiStoreTree *tree, const QStringList &storeId)
    : QQmlPropertyMap(this, tree)
    , d(std::make_unique<Musubi::detail::StorePrivate>(tree, storeId))
{ }

/*!
    Destroys the store. Stores are deleted by their MusubiStoreTree (with deleteLater()
    once their node vanished), never by their users.
*/
MusubiStore::~MusubiStore() = default;

QJsonArray MusubiStore::storeIdJson() const
{
    return QJsonArray::fromStringList(d->storeId);
}

/*!
    Returns the store id as a list of strings (empty for the root store).

    \sa storeId
*/
QStringList MusubiStore::storeIdList() const
{
    return d->storeId;
}

/*!
    Returns the tree that owns the store, or \c nullptr once the store vanished.
*/
MusubiStoreTree *MusubiStore::tree() const
{
    return d->alive ? d->tree.data() : nullptr;
}

/*!
    Returns \c false once the store node vanished from the tree (the object is then
    about to be deleted), \c true before.
*/
bool MusubiStore::isAlive() const
{
    return d->alive;
}

int MusubiStore::revision() const
{
    return d->revision;
}

/*!
    Returns the store's raw wire node (markers intact), built on demand; an empty
    object once the store vanished.

    \sa resolvedState(), MusubiStoreTree::tree()
*/
QJsonObject MusubiStore::node() const
{
    if (!d->alive || !d->tree)
        return {};
    const Musubi::detail::WireNode *node = d->tree->d->wire.storeNode(d->storeId);
    return node ? node->toJson().toObject() : QJsonObject();
}

/*!
    Returns the readable JSON view of the store (see MusubiStoreTree::resolvedState());
    undefined once the store vanished.

    \sa node()
*/
QJsonValue MusubiStore::resolvedState() const
{
    if (!d->alive || !d->tree)
        return QJsonValue(QJsonValue::Undefined);
    return d->tree->resolvedState(storeIdJson());
}

/*!
    Sends the command \a name with \a payload for this store through the tree's
    command dispatcher (MusubiStoreTree::setCommandDispatcher()) and returns the future
    of its reply.

    The future fails with a MusubiCommandError of kind \c NotConnected when no
    dispatcher is set and of kind \c Unmounted when the store vanished; other failures
    are the dispatcher's (see MusubiCommandError::Kind).
*/
QFuture<QJsonValue> MusubiStore::dispatch(const QString &name, const QJsonObject &payload)
{
    if (!d->alive || !d->tree) {
        return Musubi::detail::failedCommand(MusubiCommandError(
                MusubiCommandError::Kind::Unmounted, name, storeIdJson(),
                QJsonValue(QJsonValue::Undefined), u"the store is no longer mounted"_s));
    }
    return d->tree->dispatch(storeIdJson(), name, payload);
}

// A deferred Promise: {promise, resolve, reject}. Built by script because Qt 6.4's
// QJSEngine has no C++ API for promises; the factory is compiled once per engine.
QJSValue Musubi::detail::makeDeferred(QJSEngine *engine)
{
    static const char property[] = "_musubiDeferredFactory";
    QJSValue factory = engine->property(property).value<QJSValue>();
    if (!factory.isCallable()) {
        factory = engine->evaluate(QStringLiteral(
                "(function () { var d = {}; d.promise = new Promise(function (resolve, reject) "
                "{ d.resolve = resolve; d.reject = reject; }); return d; })"));
        engine->setProperty(property, QVariant::fromValue(factory));
    }
    return factory.call();
}

/*!
    The JavaScript face of dispatch(), for QML: sends the command \a name with
    \a payload for this store.
    \code
    store.dispatch("send", { body: text })
         .then(reply => console.log(reply.id), error => console.warn(error.message))
    store.dispatch("reset", {}, reply => ..., error => ...)   // callbacks instead
    \endcode
    Returns a Promise that resolves with the reply; \a onReply, when given, is called
    with the reply first. A failure rejects the Promise with a MusubiCommandError value
    (\c{error.kind === MusubiCommandError.Timeout}, \c code, \c message, \c command,
    \c storeId, \c reply); when \a onError is given it receives the failure and the
    Promise resolves with \c undefined instead, so a handled failure is never an
    unhandled rejection. \a payload must be an object (or omitted); anything else
    fails the command (kind \c Failed) without sending it.

    The Promise settles even when the store vanishes while the command is in flight.
    Only usable once the store was handed to a QJSEngine (any QML read of it does
    that): otherwise it logs a warning and returns undefined. C++ code calls the
    QFuture overload.
*/
QJSValue MusubiStore::dispatch(const QJSValue &name, const QJSValue &payload,
                               const QJSValue &onReply, const QJSValue &onError)
{
    QJSEngine *engine = qjsEngine(this);
    if (!engine) {
        qCWarning(lcMusubiStore) << "dispatch() from JavaScript needs a store that was handed to "
                                    "a QJSEngine; call the QFuture overload from C++";
        return QJSValue();
    }
    const QString command = name.toString();
    QFuture<QJsonValue> future;
    if (payload.isUndefined() || payload.isNull() || (payload.isObject() && !payload.isArray())) {
        const QJsonObject body = payload.isObject()
                ? QJsonObject::fromVariantMap(payload.toVariant().toMap())
                : QJsonObject();
        future = dispatch(command, body);
    } else {
        future = QtFuture::makeExceptionalFuture<QJsonValue>(
                MusubiCommandError(MusubiCommandError::Kind::Failed, command, storeIdJson(),
                                   QJsonValue(QJsonValue::Undefined),
                                   u"the payload of a command must be an object"_s));
    }
    const QJSValue deferred = Musubi::detail::makeDeferred(engine);
    const QJSValue resolve = deferred.property(u"resolve"_s);
    const QJSValue reject = deferred.property(u"reject"_s);
    // The engine, not the store, guards delivery: the Promise must settle even when the
    // store vanished while the command was in flight.
    Musubi::detail::whenCommandFinished(
            future, engine, command,
            [engine, onReply, resolve](const QJsonValue &reply) {
                const QJSValue value = engine->toScriptValue(reply.toVariant());
                if (onReply.isCallable())
                    onReply.call({value});
                resolve.call({value});
            },
            [engine, onError, resolve, reject](const MusubiCommandError &error) {
                const QJSValue value = engine->toScriptValue(error);
                if (onError.isCallable()) {
                    onError.call({value});
                    resolve.call();
                } else {
                    reject.call({value});
                }
            });
    return deferred.property(u"promise"_s);
}

/*!
    Emits eventReceived() for the push event \a name with \a payload. Called by the
    runtime for a push event addressed to this store, after the state of its envelope
    is applied.
*/
void MusubiStore::deliverEvent(const QString &name, const QJsonValue &payload)
{
    Q_EMIT eventReceived(storeIdJson(), name, payload);
}

/*!
    Refuses writes from QML: the state is server-authoritative, so the value of \a key
    stays what it was (\a input is dropped) and a warning in \c musubi.store points to
    dispatch(). Returns the current value of \a key.
*/
QVariant MusubiStore::updateValue(const QString &key, const QVariant &input)
{
    Q_UNUSED(input);
    // Server-authoritative: state changes only through commands and the patches they cause.
    qCWarning(lcMusubiStore).noquote()
            << u"Refusing to write \"%1\" of store %2: store state is read-only; send a command "
               u"with MusubiStore::dispatch() (MusubiCommand in QML) instead."_s.arg(
                       key,
                       QString::fromUtf8(
                               QJsonDocument(storeIdJson()).toJson(QJsonDocument::Compact)));
    return value(key);
}
