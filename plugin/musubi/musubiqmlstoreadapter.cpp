// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmlstoreadapter_p.h"

#include "musubiqmlerror.h"
#include "musubistore.h"
#include "musubistoretree.h"

#include <QtCore/QJsonObject>
#include <QtQml/QJSEngine>

using namespace Qt::StringLiterals;

namespace Musubi::detail {

namespace {

const QString dispatchKey = u"dispatch"_s;

// One factory per engine: (adapter) => dispatch function. The function
// always returns a Promise. Callbacks, when given, receive the outcome first;
// with an onError callback a failure resolves the Promise (with undefined)
// instead of rejecting it, so a failure the caller handled is never reported
// as an unhandled rejection.
const char factorySource[] = R"js(
(function (adapter) {
    return function dispatch(name, payload, onReply, onError) {
        return new Promise(function (resolve, reject) {
            adapter.dispatch(String(name), payload === undefined || payload === null ? {} : payload,
                function (reply) {
                    if (typeof onReply === "function")
                        onReply(reply);
                    resolve(reply);
                },
                function (error) {
                    if (typeof onError === "function") {
                        onError(error);
                        resolve(undefined);
                    } else {
                        reject(error);
                    }
                });
        });
    };
})
)js";

QJSValue factoryFor(QJSEngine *engine)
{
    static const char property[] = "_musubiDispatchFactory";
    QVariant cached = engine->property(property);
    if (cached.metaType() == QMetaType::fromType<QJSValue>())
        return cached.value<QJSValue>();
    QJSValue factory = engine->evaluate(QString::fromUtf8(factorySource));
    engine->setProperty(property, QVariant::fromValue(factory));
    return factory;
}

} // namespace

StoreAdapter::StoreAdapter(MusubiStore *store, QJSEngine *engine)
    : QObject(store)
    , m_store(store)
    , m_engine(engine)
{ }

void StoreAdapter::attach(MusubiStoreTree *tree, QJSEngine *engine)
{
    if (!tree || !engine)
        return;
    const QPointer<QJSEngine> guardedEngine(engine);
    // Several roots may share one tree; one connection per tree is enough.
    static const char attachedProperty[] = "_musubiQmlAdapterAttached";
    if (!tree->property(attachedProperty).toBool()) {
        tree->setProperty(attachedProperty, true);
        QObject::connect(tree, &MusubiStoreTree::storesAdded, tree,
                         [tree, guardedEngine](const QList<QJsonArray> &storeIds) {
                             if (!guardedEngine)
                                 return;
                             for (const QJsonArray &id : storeIds)
                                 install(tree->store(id), guardedEngine);
                         });
    }
    const QList<QJsonArray> ids = tree->storeIds();
    for (const QJsonArray &id : ids)
        install(tree->store(id), engine);
}

void StoreAdapter::install(MusubiStore *store, QJSEngine *engine)
{
    if (!store || !engine || store->findChild<StoreAdapter *>({}, Qt::FindDirectChildrenOnly))
        return;
    auto *adapter = new StoreAdapter(store, engine);
    // Ownership stays with C++ (the store is the parent); QML must never collect it.
    QJSEngine::setObjectOwnership(adapter, QJSEngine::CppOwnership);
    // A field the server named "dispatch" keeps its value.
    if (store->contains(dispatchKey) && store->value(dispatchKey).isValid())
        return;
    const QJSValue function = factoryFor(engine).call({engine->newQObject(adapter)});
    store->insert(dispatchKey, QVariant::fromValue(function));
}

void StoreAdapter::dispatch(const QString &name, const QVariantMap &payload,
                            const QJSValue &onReply, const QJSValue &onError)
{
    QFuture<QJsonValue> future;
    if (m_store && m_store->isAlive()) {
        future = m_store->dispatch(name, QJsonObject::fromVariantMap(payload));
    } else {
        future = QtFuture::makeExceptionalFuture<QJsonValue>(
                MusubiCommandError(MusubiCommandError::Kind::Unmounted, name, {}));
    }
    QJSEngine *engine = m_engine;
    if (!engine)
        return;
    // The engine, not the adapter, is the guard: the Promise must settle even
    // when the store (and its adapter) vanished while the command was in flight.
    whenCommandFinished(
            future, engine, name,
            [engine, onReply](const QJsonValue &reply) {
                if (onReply.isCallable())
                    onReply.call({engine->toScriptValue(reply.toVariant())});
            },
            [engine, onError](const QVariantMap &error) {
                if (onError.isCallable())
                    onError.call({engine->toScriptValue(error)});
            });
}

} // namespace Musubi::detail
