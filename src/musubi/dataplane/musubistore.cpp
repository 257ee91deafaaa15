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

MusubiStore::MusubiStore(MusubiStoreTree *tree, const QStringList &storeId)
    : QQmlPropertyMap(this, tree)
    , d(std::make_unique<Musubi::detail::StorePrivate>(tree, storeId))
{ }

MusubiStore::~MusubiStore() = default;

QJsonArray MusubiStore::storeIdJson() const
{
    return QJsonArray::fromStringList(d->storeId);
}

QStringList MusubiStore::storeIdList() const
{
    return d->storeId;
}

MusubiStoreTree *MusubiStore::tree() const
{
    return d->alive ? d->tree.data() : nullptr;
}

bool MusubiStore::isAlive() const
{
    return d->alive;
}

int MusubiStore::revision() const
{
    return d->revision;
}

QJsonObject MusubiStore::node() const
{
    if (!d->alive || !d->tree)
        return {};
    const Musubi::detail::WireNode *node = d->tree->d->wire.storeNode(d->storeId);
    return node ? node->toJson().toObject() : QJsonObject();
}

QJsonValue MusubiStore::resolvedState() const
{
    if (!d->alive || !d->tree)
        return QJsonValue(QJsonValue::Undefined);
    return d->tree->resolvedState(storeIdJson());
}

QFuture<QJsonValue> MusubiStore::dispatch(const QString &name, const QJsonObject &payload)
{
    if (!d->alive || !d->tree) {
        return Musubi::detail::failedCommand(MusubiCommandError(
                MusubiCommandError::Kind::Unmounted, name, storeIdJson(),
                QJsonValue(QJsonValue::Undefined), u"the store is no longer mounted"_s));
    }
    return d->tree->dispatch(storeIdJson(), name, payload);
}

namespace {

// A deferred Promise: {promise, resolve, reject}. Built by script because Qt 6.4's
// QJSEngine has no C++ API for promises; the factory is compiled once per engine.
QJSValue makeDeferred(QJSEngine *engine)
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

} // namespace

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
    const QJSValue deferred = makeDeferred(engine);
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

void MusubiStore::deliverEvent(const QString &name, const QJsonValue &payload)
{
    Q_EMIT eventReceived(storeIdJson(), name, payload);
}

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
