// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QVariantMap>
#include <QtQml/QJSValue>
#include <QtQml/qqml.h>

class MusubiStore;
class MusubiStoreTree;
class QJSEngine;

namespace Musubi::detail {

/*!
    \internal
    Gives every MusubiStore of a tree a \c dispatch function for QML.

    MusubiStore is a QQmlPropertyMap created by the data plane, so QML sees
    only its fields and its own meta-object; extension types do not apply to
    objects created in C++. The adapter therefore stores a JavaScript function
    under the key \c dispatch of each store (once, when the store appears).
    The function calls back into a StoreAdapter owned by the store, which turns
    the QFuture of MusubiStore::dispatch() into a Promise or into callbacks.
    A server field named \c dispatch wins over the function.
*/
class StoreAdapter : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS

public:
    //! Installs the dispatch function on every store of \a tree, now and as stores appear.
    static void attach(MusubiStoreTree *tree, QJSEngine *engine);
    //! Installs it on \a store (no-op if already there).
    static void install(MusubiStore *store, QJSEngine *engine);

    Q_INVOKABLE void dispatch(const QString &name, const QVariantMap &payload,
                              const QJSValue &onReply, const QJSValue &onError);

private:
    StoreAdapter(MusubiStore *store, QJSEngine *engine);

    QPointer<MusubiStore> m_store;
    QPointer<QJSEngine> m_engine;
};

} // namespace Musubi::detail
