// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QFuture>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QStringList>
#include <QtQml/QJSValue>
#include <QtQml/QQmlPropertyMap>

#include <memory>

class MusubiStoreTree;

namespace Musubi::detail {
class StorePrivate;
class StoreTreePrivate;
} // namespace Musubi::detail

/*!
    \class MusubiStore
    \brief One mounted store: a read-only QQmlPropertyMap of the store node's fields.

    Values: JSON scalars as QVariant (null as \c std::nullptr_t), plain objects as
    QVariantMap, arrays as QVariantList, a child store node as that child's MusubiStore
    (a \c QObject*), a stream slot as its MusubiStreamModel, an upload slot as its
    MusubiUpload, and an async value as a QVariantMap \c{{status, data, error}} where
    \c status is a MusubiAsync::Status (the wire string only stays in the raw tree and the
    JSON view), \c data the resolved \c result (so a stream marker there becomes the
    MusubiStreamModel) and \c error the raw \c reason. Markers are resolved at any depth
    except inside stream items.

    Keys are written only when their value changed, so a QML binding on \c store.title
    re-evaluates only when the title changed. A key that disappears from the node is
    cleared (reads \c undefined; QQmlPropertyMap cannot remove keys). Writes from QML are
    refused: the value stays and a warning points to dispatch().

    Field names that QQmlPropertyMap reserves (\c keys, \c valueChanged, \c destroyed,
    \c deleteLater, \c QObject) are not exposed as keys; a field named like one of this
    class's own members (\c storeId, \c revision, \c changed, ...) is a key like any other in
    C++ but shadows the member in QML.

    The object belongs to its MusubiStoreTree (C++ ownership, the tree is the parent).
    Identity is stable while the store node exists; when it vanishes the object is
    detached from the tree and deleted with deleteLater().
*/
class MUSUBI_CORE_EXPORT MusubiStore : public QQmlPropertyMap
{
    Q_OBJECT
    Q_PROPERTY(QJsonArray storeId READ storeIdJson CONSTANT)
    Q_PROPERTY(int revision READ revision NOTIFY changed)
public:
    ~MusubiStore() override;

    //! The server-authored store id (array of strings; \c [] for the root).
    QJsonArray storeIdJson() const;
    QStringList storeIdList() const;
    //! The owning tree; nullptr once the store vanished.
    MusubiStoreTree *tree() const;
    //! False once the store node vanished (the object is then about to be deleted).
    bool isAlive() const;
    //! How many times changed() fired.
    int revision() const;

    //! The store's raw wire node (markers intact), built on demand; empty once vanished.
    QJsonObject node() const;
    //! The readable view of the store (see MusubiStoreTree::resolvedState()).
    QJsonValue resolvedState() const;

    //! Sends command \a name for this store through the tree's dispatcher. The future
    //! fails with MusubiCommandError (NotConnected) when no dispatcher is set, and with
    //! Unmounted when the store vanished.
    QFuture<QJsonValue> dispatch(const QString &name, const QJsonObject &payload = {});

    /*!
        The JavaScript face of dispatch(), for QML:
        \code
        store.dispatch("send", { body: text })
             .then(reply => console.log(reply.id), error => console.warn(error.message))
        store.dispatch("reset", {}, reply => ..., error => ...)   // callbacks instead
        \endcode
        Returns a Promise that resolves with the reply. A failure rejects it with
        a MusubiCommandError value (\c{error.kind === MusubiCommandError.Timeout},
        \c code, \c message, \c command, \c storeId, \c reply); when \a onError is given it receives
       the failure and the Promise resolves with \c undefined instead, so a handled failure is never
       an unhandled rejection. \a payload must be an object (or omitted).

        Only usable once the store was handed to a QJSEngine (any QML read of it
        does that); C++ code calls the QFuture overload.
    */
    Q_INVOKABLE QJSValue dispatch(const QJSValue &name, const QJSValue &payload = QJSValue(),
                                  const QJSValue &onReply = QJSValue(),
                                  const QJSValue &onError = QJSValue());

    //! Called by the runtime for a push event addressed to this store.
    void deliverEvent(const QString &name, const QJsonValue &payload);

Q_SIGNALS:
    //! At most once per accepted envelope: the store's subtree changed by value, a stream
    //! or upload op named this store.
    void changed();
    //! The store got keys it did not have (keys() is not a notifying property). Emitted
    //! after the envelope's key writes, before changed(); not for a store's first values.
    void keysChanged();
    /*! A push event \a name with \a payload addressed to this store (its id is
        \a storeId), after the state of its envelope is applied; the same event
        as MusubiRoot::eventReceived(). */
    void eventReceived(const QJsonArray &storeId, const QString &name, const QJsonValue &payload);

protected:
    //! Refuses writes from QML (server-authoritative state).
    QVariant updateValue(const QString &key, const QVariant &input) override;

private:
    MusubiStore(MusubiStoreTree *tree, const QStringList &storeId);
    friend class Musubi::detail::StoreTreePrivate;
    friend class MusubiStoreTree;

    friend class Musubi::detail::StorePrivate;
    std::unique_ptr<Musubi::detail::StorePrivate> d;
};
