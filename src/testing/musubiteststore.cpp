// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiteststore.h"
#include "musubitestserver.h"
#include "musubitestserver_p.h"
#include "musubiteststore_p.h"

using namespace Qt::StringLiterals;

MusubiTestStore::MusubiTestStore(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<MusubiTestStorePrivate>())
{ }

MusubiTestStore::~MusubiTestStore() = default;

QJsonArray MusubiTestStore::storeId() const
{
    QJsonArray id = d->parentStore ? d->parentStore->storeId() : QJsonArray();
    for (const QString &segment : d->localId)
        id.append(segment);
    return id;
}

QStringList MusubiTestStore::localId() const
{
    return d->localId;
}

MusubiTestStore *MusubiTestStore::parentStore() const
{
    return d->parentStore;
}

MusubiTestStore *MusubiTestStore::rootStore() const
{
    const MusubiTestStore *store = this;
    while (store->d->parentStore)
        store = store->d->parentStore;
    return const_cast<MusubiTestStore *>(store);
}

QString MusubiTestStore::rootId() const
{
    return rootStore()->d->mount.rootId;
}

QString MusubiTestStore::module() const
{
    return rootStore()->d->mount.module;
}

QString MusubiTestStore::instanceId() const
{
    return rootStore()->d->mount.instanceId;
}

QJsonObject MusubiTestStore::mountParams() const
{
    return rootStore()->d->mount.params;
}

QVariantMap MusubiTestStore::connectParams() const
{
    return rootStore()->d->mount.connectParams;
}

MusubiTestServer *MusubiTestStore::server() const
{
    const auto &session = rootStore()->d->session;
    return session ? session->server() : nullptr;
}

QJsonObject MusubiTestStore::state() const
{
    return d->state;
}

QJsonValue MusubiTestStore::value(const QString &key) const
{
    return d->state.value(key);
}

void MusubiTestStore::setState(const QJsonObject &state)
{
    if (state == d->state)
        return;
    d->state = state;
    Q_EMIT stateChanged();
    scheduleRender();
}

void MusubiTestStore::setValue(const QString &key, const QJsonValue &value)
{
    const auto it = d->state.constFind(key);
    if (it != d->state.constEnd() && it.value() == value)
        return;
    d->state.insert(key, value);
    Q_EMIT stateChanged();
    scheduleRender();
}

void MusubiTestStore::removeValue(const QString &key)
{
    if (!d->state.contains(key))
        return;
    d->state.remove(key);
    Q_EMIT stateChanged();
    scheduleRender();
}

void MusubiTestStore::update(const std::function<void(QJsonObject &)> &mutator)
{
    QJsonObject next = d->state;
    mutator(next);
    setState(next);
}

void MusubiTestStore::invalidate()
{
    scheduleRender();
}

QJsonObject MusubiTestStore::render() const
{
    return d->renderer ? d->renderer(this) : d->state;
}

void MusubiTestStore::setRenderer(Renderer renderer)
{
    d->renderer = std::move(renderer);
    scheduleRender();
}

MusubiTestStore *MusubiTestStore::addChild(const QStringList &localId, MusubiTestStore *child)
{
    if (!child || localId.isEmpty() || child == this) {
        qCWarning(lcTestServer) << "addChild: refused (null child, empty local id or self)";
        return child;
    }
    for (qsizetype i = 0; i < d->children.size(); ++i) {
        if (d->children.at(i).first == localId) {
            MusubiTestStore *old = d->children.at(i).second;
            d->children.removeAt(i);
            if (old && old != child)
                delete old;
            break;
        }
    }
    child->setParent(this);
    child->d->parentStore = this;
    child->d->localId = localId;
    d->children.append({localId, QPointer<MusubiTestStore>(child)});
    scheduleRender();
    return child;
}

MusubiTestStore *MusubiTestStore::childStore(const QStringList &localId) const
{
    for (const auto &entry : d->children) {
        if (entry.first == localId)
            return entry.second;
    }
    return nullptr;
}

void MusubiTestStore::removeChild(const QStringList &localId)
{
    for (qsizetype i = 0; i < d->children.size(); ++i) {
        if (d->children.at(i).first == localId) {
            MusubiTestStore *child = d->children.at(i).second;
            d->children.removeAt(i);
            delete child;
            scheduleRender();
            return;
        }
    }
}

QList<MusubiTestStore *> MusubiTestStore::childStores() const
{
    QList<MusubiTestStore *> out;
    for (const auto &entry : d->children) {
        if (entry.second)
            out.append(entry.second);
    }
    return out;
}

QJsonObject MusubiTestStore::childSlot(const QStringList &localId) const
{
    return QJsonObject{{Musubi::detail::childSlotKey(), QJsonArray::fromStringList(localId)}};
}

QJsonObject MusubiTestStore::streamSlot(const QString &stream) const
{
    d->streamRef(stream);
    return QJsonObject{{u"__musubi_stream__"_s, stream}};
}

namespace {
MusubiTestStreamQueue &touch(MusubiTestStorePrivate *d, const QString &stream)
{
    if (!d->streamOrder.contains(stream))
        d->streamOrder.append(stream);
    return d->streamQueues[stream];
}
} // namespace

void MusubiTestStore::streamInsert(const QString &stream, const QString &itemKey,
                                   const QJsonValue &item, int at, const QJsonValue &limit)
{
    MusubiTestStreamQueue &q = touch(d.get(), stream);
    q.inserts.append(QJsonObject{
            {u"op"_s, u"insert"_s},
            {u"stream"_s, stream},
            {u"ref"_s, d->streamRef(stream)},
            {u"store_id"_s, storeId()},
            {u"item_key"_s, itemKey},
            {u"at"_s, at},
            {u"item"_s, item},
            {u"limit"_s, limit.isDouble() ? limit : QJsonValue(QJsonValue::Null)},
    });
    scheduleRender();
}

void MusubiTestStore::streamDelete(const QString &stream, const QString &itemKey)
{
    MusubiTestStreamQueue &q = touch(d.get(), stream);
    q.deletes.append(QJsonObject{
            {u"op"_s, u"delete"_s},
            {u"stream"_s, stream},
            {u"ref"_s, d->streamRef(stream)},
            {u"store_id"_s, storeId()},
            {u"item_key"_s, itemKey},
    });
    scheduleRender();
}

void MusubiTestStore::streamReset(const QString &stream)
{
    MusubiTestStreamQueue &q = touch(d.get(), stream);
    // A reset wipes the client list, so what was queued before it is moot.
    q = MusubiTestStreamQueue();
    q.reset = true;
    scheduleRender();
}

QJsonObject MusubiTestStore::asyncLoading(const QJsonValue &previous) const
{
    return QJsonObject{{u"__musubi_async__"_s, true},
                       {u"status"_s, u"loading"_s},
                       {u"result"_s, previous.isUndefined() ? QJsonValue() : previous},
                       {u"reason"_s, QJsonValue()}};
}

QJsonObject MusubiTestStore::asyncOk(const QJsonValue &result) const
{
    return QJsonObject{{u"__musubi_async__"_s, true},
                       {u"status"_s, u"ok"_s},
                       {u"result"_s, result.isUndefined() ? QJsonValue() : result},
                       {u"reason"_s, QJsonValue()}};
}

QJsonObject MusubiTestStore::asyncFailed(const QJsonValue &reason, const QJsonValue &previous) const
{
    return QJsonObject{{u"__musubi_async__"_s, true},
                       {u"status"_s, u"failed"_s},
                       {u"result"_s, previous.isUndefined() ? QJsonValue() : previous},
                       {u"reason"_s, reason.isUndefined() ? QJsonValue() : reason}};
}

void MusubiTestStore::pushEvent(const QString &name, const QJsonValue &payload)
{
    d->events.append(QJsonObject{{u"store_id"_s, storeId()},
                                 {u"name"_s, name},
                                 {u"payload"_s, payload.isUndefined() ? QJsonValue() : payload}});
    scheduleRender();
}

void MusubiTestStore::onCommand(const QString &name, CommandHandler handler)
{
    d->commands.insert(name, std::move(handler));
}

bool MusubiTestStore::hasCommand(const QString &name) const
{
    return d->commands.contains(name);
}

MusubiTestReply MusubiTestStore::handleCommand(const QString &name, const QJsonObject &payload)
{
    const auto it = d->commands.constFind(name);
    if (it == d->commands.constEnd() || !it.value())
        return MusubiTestReply::error(u"unknown command"_s);
    return it.value()(payload);
}

void MusubiTestStore::declareUpload(const QString &name, const MusubiTestUploadConfig &config)
{
    if (!d->uploadNames.contains(name))
        d->uploadNames.append(name);
    d->uploads.insert(name, config);
    scheduleRender();
}

QStringList MusubiTestStore::uploadNames() const
{
    return d->uploadNames;
}

MusubiTestUploadConfig MusubiTestStore::uploadConfig(const QString &name) const
{
    return d->uploads.value(name);
}

bool MusubiTestStore::hasUpload(const QString &name) const
{
    return d->uploads.contains(name);
}

void MusubiTestStore::queueUploadOp(const QJsonObject &op)
{
    QJsonObject stamped = op;
    if (!stamped.contains(u"store_id"_s))
        stamped.insert(u"store_id"_s, storeId());
    d->uploadOps.append(stamped);
    scheduleRender();
}

void MusubiTestStore::mount(const QJsonObject &params)
{
    Q_UNUSED(params);
}

void MusubiTestStore::scheduleRender()
{
    if (auto *session = rootStore()->d->session.data())
        session->scheduleFlush();
}
