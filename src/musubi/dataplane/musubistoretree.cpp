// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubistoretree.h"

#include "musubicommanderror.h"
#include "musubicommanderror_p.h"
#include "musubistore.h"
#include "musubistoretree_p.h"
#include "musubistreammodel.h"
#include "musubistreamop_p.h"
#include "musubiupload.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QPointer>

#include <algorithm>

using namespace Qt::StringLiterals;
using Musubi::detail::StoreTreePrivate;
using Musubi::detail::StreamOp;
using Musubi::detail::WireNode;
using Musubi::detail::WireNodePtr;
using Musubi::detail::WireValue;

Q_LOGGING_CATEGORY(lcMusubiPatch, "musubi.patch")

static const QLatin1StringView kStoreIdKey("__musubi_store_id__");

QString MusubiPatchError::toString() const
{
    return u"%1[%2] \"%3\": %4"_s.arg(section).arg(opIndex).arg(path, message);
}

namespace Musubi::detail {

bool StoreTreePrivate::parentsFirst(const QStringList &a, const QStringList &b)
{
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

QStringList StoreTreePrivate::toStringList(const QJsonArray &id)
{
    QStringList out;
    out.reserve(id.size());
    for (const QJsonValue &part : id)
        out.append(part.toString());
    return out;
}

// Field names QQmlPropertyMap refuses ("conflicts with internal symbols").
static bool isReservedKey(const QString &key)
{
    return key == "keys"_L1 || key == "valueChanged"_L1 || key == "destroyed"_L1
            || key == "deleteLater"_L1 || key == "QObject"_L1 || key == kStoreIdKey;
}

MusubiStreamModel *StoreTreePrivate::streamModel(const QStringList &storeId, const QString &name,
                                                 bool create)
{
    auto &byName = streams[storeId];
    MusubiStreamModel *model = byName.value(name);
    if (!model && create) {
        model = new MusubiStreamModel(storeId, name, q);
        byName.insert(name, model);
    }
    if (byName.isEmpty())
        streams.remove(storeId);
    return model;
}

MusubiUpload *StoreTreePrivate::uploadHandle(const QStringList &storeId, const QString &name,
                                             bool create)
{
    auto &byName = uploads[storeId];
    MusubiUpload *upload = byName.value(name);
    if (!upload && create) {
        upload = new MusubiUpload(storeId, name, q);
        byName.insert(name, upload);
    }
    if (byName.isEmpty())
        uploads.remove(storeId);
    return upload;
}

QVariant StoreTreePrivate::resolve(const WireValue &value, const QStringList &owner)
{
    if (!value.node) {
        // Opaque plain subtree (no markers inside).
        if (plainValues == MusubiStoreTree::PlainValues::JsonContainers) {
            if (value.scalar.isObject())
                return QVariant::fromValue(value.scalar.toObject());
            if (value.scalar.isArray())
                return QVariant::fromValue(value.scalar.toArray());
        }
        return value.scalar.toVariant();
    }
    const WireNode *node = value.node.get();
    switch (node->marker) {
    case WireNode::Marker::Store:
        return QVariant::fromValue<QObject *>(stores.value(node->storeId));
    case WireNode::Marker::StreamSlot:
        return QVariant::fromValue<QObject *>(streamModel(owner, node->slotName, true));
    case WireNode::Marker::UploadSlot:
        return QVariant::fromValue<QObject *>(uploadHandle(owner, node->slotName, true));
    case WireNode::Marker::Async: {
        const QString status = node->members.value("status"_L1).scalar.toString();
        QVariantMap map;
        map.insert(u"status"_s, status);
        map.insert(u"data"_s, resolve(node->members.value("result"_L1), owner));
        map.insert(u"error"_s, node->members.value("reason"_L1).toJson().toVariant());
        map.insert(u"loading"_s, status == "loading"_L1);
        map.insert(u"ok"_s, status == "ok"_L1);
        map.insert(u"failed"_s, status == "failed"_L1);
        return map;
    }
    case WireNode::Marker::None:
        break;
    }
    if (node->isArray) {
        QVariantList list;
        list.reserve(node->items.size());
        for (const WireValue &item : node->items)
            list.append(resolve(item, owner));
        return list;
    }
    QVariantMap map;
    for (auto it = node->members.constBegin(); it != node->members.constEnd(); ++it)
        map.insert(it.key(), resolve(it.value(), owner));
    return map;
}

QJsonValue StoreTreePrivate::resolveJson(const WireValue &value, const QStringList &owner) const
{
    if (!value.node)
        return value.scalar;
    const WireNode *node = value.node.get();
    switch (node->marker) {
    case WireNode::Marker::Store: {
        QJsonObject object;
        object.insert(kStoreIdKey, QJsonArray::fromStringList(node->storeId));
        for (auto it = node->members.constBegin(); it != node->members.constEnd(); ++it) {
            if (it.key() != kStoreIdKey)
                object.insert(it.key(), resolveJson(it.value(), node->storeId));
        }
        return object;
    }
    case WireNode::Marker::StreamSlot: {
        const MusubiStreamModel *model = streams.value(owner).value(node->slotName);
        return model ? model->items() : QJsonArray();
    }
    case WireNode::Marker::UploadSlot:
        return node->toJson();
    case WireNode::Marker::Async: {
        QJsonObject object;
        object.insert("status"_L1, node->members.value("status"_L1).scalar);
        object.insert("data"_L1, resolveJson(node->members.value("result"_L1), owner));
        object.insert("error"_L1, node->members.value("reason"_L1).toJson());
        return object;
    }
    case WireNode::Marker::None:
        break;
    }
    if (node->isArray) {
        QJsonArray array;
        for (const WireValue &item : node->items)
            array.append(resolveJson(item, owner));
        return array;
    }
    QJsonObject object;
    for (auto it = node->members.constBegin(); it != node->members.constEnd(); ++it)
        object.insert(it.key(), resolveJson(it.value(), owner));
    return object;
}

void StoreTreePrivate::writeFields(MusubiStore *store, const WireNode *node,
                                   const QSet<QString> *fields, bool fresh)
{
    QVariantHash changes;
    const QStringList &owner = store->m_storeId;
    auto consider = [&](const QString &key, const WireValue &value) {
        if (isReservedKey(key))
            return;
        QVariant next = resolve(value, owner);
        if (fresh || !store->contains(key) || store->value(key) != next) {
            changes.insert(key, next);
            if (!fresh)
                writtenKeys[owner].insert(key);
        }
    };
    if (!fields) {
        changes.reserve(node->members.size());
        for (auto it = node->members.constBegin(); it != node->members.constEnd(); ++it)
            consider(it.key(), it.value());
        if (!fresh) {
            const QStringList existing = store->keys();
            for (const QString &key : existing) {
                if (!node->members.contains(key) && store->value(key).isValid()) {
                    store->clear(key);
                    writtenKeys[owner].insert(key);
                }
            }
        }
    } else {
        for (const QString &key : *fields) {
            const auto it = node->members.constFind(key);
            if (it != node->members.constEnd())
                consider(key, it.value());
            else if (!isReservedKey(key) && store->value(key).isValid()) {
                store->clear(key);
                writtenKeys[owner].insert(key);
            }
        }
    }
    // One bulk insert: one insert() per new key rebuilds the meta-object every time.
    if (!changes.isEmpty()) {
        if (!fresh) {
            for (auto it = changes.constBegin(); it != changes.constEnd(); ++it) {
                if (!store->contains(it.key())) {
                    keysAdded.insert(store);
                    break;
                }
            }
        }
        store->insert(changes);
    }
}

void StoreTreePrivate::prune(const QStringList &storeId, QList<QObject *> *doomed)
{
    if (MusubiStore *store = stores.take(storeId)) {
        store->m_alive = false;
        doomed->append(store);
    }
    const auto streamsOfStore = streams.take(storeId);
    for (MusubiStreamModel *model : streamsOfStore)
        doomed->append(model);
    const auto uploadsOfStore = uploads.take(storeId);
    for (MusubiUpload *upload : uploadsOfStore)
        doomed->append(upload);
}

std::optional<MusubiPatchError> StoreTreePrivate::apply(const QJsonObject &envelope)
{
    auto sectionArray = [&envelope](QLatin1StringView name, QJsonArray *out) {
        const QJsonValue value = envelope.value(name);
        if (value.isUndefined() || value.isNull())
            return true; // missing sections are empty (upload_ops before 0.3.0)
        if (!value.isArray())
            return false;
        *out = value.toArray();
        return true;
    };
    QJsonArray ops, streamOps, uploadOps;
    for (auto [name, out] : {std::pair{"ops"_L1, &ops}, std::pair{"stream_ops"_L1, &streamOps},
                             std::pair{"upload_ops"_L1, &uploadOps}}) {
        if (!sectionArray(name, out)) {
            MusubiPatchError error{name, -1, QString(), u"not an array"_s};
            qCWarning(lcMusubiPatch).noquote() << "refused envelope:" << error.toString();
            return error;
        }
    }

    // 1. ops, in place with an undo log.
    wire.begin();
    const bool hadRoot = wire.hasRoot();
    QSet<QStringList> pathChanged;
    QHash<QStringList, QSet<QString>> dirtyFields;
    QList<OpEffect> effects; // of the ops that changed something
    bool anyOpChanged = false;
    for (qsizetype i = 0; i < ops.size(); ++i) {
        OpEffect effect;
        if (auto error = wire.applyOp(ops.at(i), &effect)) {
            wire.rollback();
            MusubiPatchError patchError{u"ops"_s, int(i), error->path, error->message};
            qCWarning(lcMusubiPatch).noquote() << "refused envelope:" << patchError.toString();
            return patchError;
        }
        if (!effect.changed)
            continue;
        anyOpChanged = true;
        if (!effect.storePath.isEmpty())
            dirtyFields[effect.storePath.last().storeId].insert(effect.storePath.last().token);
        if (effect.identityChangedAt >= 0) {
            // The field holding an object that changed store identity is rewritten in the
            // store above it.
            for (qsizetype s = effect.storePath.size() - 1; s >= 0; --s) {
                const OpEffect::Step &step = effect.storePath.at(s);
                if (step.depth < effect.identityChangedAt) {
                    dirtyFields[step.storeId].insert(step.token);
                    break;
                }
            }
        }
        effects.append(std::move(effect));
    }

    // 2. stream ops and upload ops are validated before anything becomes visible.
    QList<StreamOp> decodedStreamOps;
    decodedStreamOps.reserve(streamOps.size());
    for (qsizetype i = 0; i < streamOps.size(); ++i) {
        QString message;
        auto op = StreamOp::decode(streamOps.at(i), &message);
        if (!op) {
            wire.rollback();
            MusubiPatchError patchError{u"stream_ops"_s, int(i),
                                        streamOps.at(i).toObject().value("stream"_L1).toString(),
                                        message};
            qCWarning(lcMusubiPatch).noquote() << "refused envelope:" << patchError.toString();
            return patchError;
        }
        decodedStreamOps.append(std::move(*op));
    }
    struct UploadOp
    {
        QStringList storeId;
        QString name;
        QJsonObject op;
    };
    QList<UploadOp> decodedUploadOps;
    for (qsizetype i = 0; i < uploadOps.size(); ++i) {
        // Upload ops are decoded leniently, one by one (docs/protocol.md §8.2).
        const QJsonObject op = uploadOps.at(i).toObject();
        const QJsonValue name = op.value("upload"_L1);
        const QJsonValue storeId = op.value("store_id"_L1);
        if (!name.isString() || !(storeId.isArray() || storeId.isUndefined())) {
            qCWarning(lcMusubiPatch) << "skipping malformed upload op" << i << op;
            continue;
        }
        decodedUploadOps.append(UploadOp{toStringList(storeId.toArray()), name.toString(), op});
    }

    // 3. Commit: from here on nothing can fail.
    const QHash<QStringList, WireNodePtr> indexBefore = wire.commit();
    ++revision;
    if (anyOpChanged || !hadRoot)
        treeCache.reset();
    MusubiStore *oldRoot = stores.value(QStringList());

    QList<QStringList> added, removed;
    QSet<QStringList> rewrite; // stores whose every field is recomputed
    for (auto it = indexBefore.constBegin(); it != indexBefore.constEnd(); ++it) {
        const WireNodePtr &now = wire.index().value(it.key());
        const bool known = stores.contains(it.key());
        if (now && !known) {
            added.append(it.key());
        } else if (!now && known) {
            removed.append(it.key());
        } else if (now && it.value() && now != it.value()) {
            WireValue a, b;
            a.node = it.value();
            b.node = now;
            if (!WireValue::equal(a, b))
                rewrite.insert(it.key());
        }
    }

    QList<QObject *> doomed;
    for (const QStringList &id : std::as_const(removed))
        prune(id, &doomed);
    for (const QStringList &id : std::as_const(added))
        stores.insert(id, new MusubiStore(q, id));
    // New stores first, so that parents can point at them.
    for (const QStringList &id : std::as_const(added))
        writeFields(stores.value(id), wire.storeNode(id), nullptr, true);
    for (const QStringList &id : std::as_const(rewrite)) {
        if (MusubiStore *store = stores.value(id))
            writeFields(store, wire.storeNode(id), nullptr, false);
    }
    const QSet<QStringList> addedSet(added.cbegin(), added.cend());
    for (auto it = dirtyFields.constBegin(); it != dirtyFields.constEnd(); ++it) {
        if (addedSet.contains(it.key()) || rewrite.contains(it.key()))
            continue;
        MusubiStore *store = stores.value(it.key());
        const WireNode *node = wire.storeNode(it.key());
        if (store && node)
            writeFields(store, node, &it.value(), false);
    }

    // Store-level changes by value: an op that only edited plain data counts when its
    // store's field really ended up different (a value changed and changed back inside
    // the envelope notifies nobody); ops that added or removed store nodes always count
    // (their stores were compared node by node above).
    for (const OpEffect &effect : std::as_const(effects)) {
        if (effect.storePath.isEmpty())
            continue;
        const OpEffect::Step &nearest = effect.storePath.last();
        const bool real = effect.touchedStores || effect.identityChangedAt >= 0
                || rewrite.contains(nearest.storeId)
                || writtenKeys.value(nearest.storeId).contains(nearest.token)
                || isReservedKey(nearest.token); // not exposed as a key, still a change
        if (!real)
            continue;
        for (const OpEffect::Step &step : effect.storePath)
            pathChanged.insert(step.storeId);
    }
    writtenKeys.clear();
    QSet<QStringList> changed = pathChanged;
    changed.unite(rewrite);

    // Streams: ops grouped per (store, stream) keep their order; ops for a store that is
    // not in the tree would be pruned right away, so they are dropped.
    QList<std::pair<QStringList, QString>> streamOrder;
    QHash<std::pair<QStringList, QString>, QList<StreamOp>> streamGroups;
    for (const StreamOp &op : std::as_const(decodedStreamOps)) {
        if (!stores.contains(op.storeId)) {
            qCDebug(lcMusubiPatch)
                    << "stream op for a store not in the tree" << op.storeId << op.stream;
            continue;
        }
        const auto key = std::pair{op.storeId, op.stream};
        auto it = streamGroups.find(key);
        if (it == streamGroups.end()) {
            streamOrder.append(key);
            it = streamGroups.insert(key, {});
        }
        it->append(op);
        changed.insert(op.storeId);
    }
    for (const auto &key : std::as_const(streamOrder))
        streamModel(key.first, key.second, true)->applyOps(streamGroups.value(key));

    for (const UploadOp &op : std::as_const(decodedUploadOps)) {
        if (!stores.contains(op.storeId))
            continue;
        uploadHandle(op.storeId, op.name, true)->applyOp(op.op);
        changed.insert(op.storeId);
    }

    // changed(): existing stores that changed. storesChanged(): those and every store that
    // appeared (an index entry that was absent and now exists differs, as in the reference
    // runtime's notifySubscribers()). Parents first, like the server flushes them.
    QList<QStringList> changedIds;
    for (const QStringList &id : std::as_const(changed)) {
        if (stores.contains(id) && !addedSet.contains(id))
            changedIds.append(id);
    }
    std::sort(changedIds.begin(), changedIds.end(), parentsFirst);
    QList<QStringList> listedIds = changedIds;
    listedIds.append(added);
    std::sort(listedIds.begin(), listedIds.end(), parentsFirst);
    for (MusubiStore *store : std::as_const(keysAdded)) {
        if (store->m_alive)
            Q_EMIT store->keysChanged();
    }
    keysAdded.clear();
    for (const QStringList &id : std::as_const(changedIds)) {
        MusubiStore *store = stores.value(id);
        ++store->m_revision;
        Q_EMIT store->changed();
    }
    auto toJson = [](const QList<QStringList> &ids) {
        QList<QJsonArray> out;
        out.reserve(ids.size());
        for (const QStringList &id : ids)
            out.append(QJsonArray::fromStringList(id));
        return out;
    };
    if (!removed.isEmpty())
        Q_EMIT q->storesRemoved(toJson(removed));
    if (!added.isEmpty())
        Q_EMIT q->storesAdded(toJson(added));
    if (stores.value(QStringList()) != oldRoot)
        Q_EMIT q->rootStoreChanged();
    if (!listedIds.isEmpty())
        Q_EMIT q->storesChanged(toJson(listedIds));
    for (QObject *object : std::as_const(doomed))
        object->deleteLater();
    return std::nullopt;
}

void StoreTreePrivate::uploadsConnectionLost()
{
    const QList<MusubiUpload *> all = q->uploads();
    for (const QPointer<MusubiUpload> upload : all) {
        if (upload)
            upload->connectionLost();
    }
}

void StoreTreePrivate::uploadsRemounted()
{
    const QList<MusubiUpload *> all = q->uploads();
    for (const QPointer<MusubiUpload> upload : all) {
        if (upload)
            upload->remounted();
    }
}

void StoreTreePrivate::clear()
{
    MusubiStore *oldRoot = stores.value(QStringList());
    QList<QStringList> removed = stores.keys();
    QList<QObject *> doomed;
    for (const QStringList &id : std::as_const(removed))
        prune(id, &doomed);
    for (const auto &byName : std::as_const(streams)) {
        for (MusubiStreamModel *model : byName)
            doomed.append(model);
    }
    for (const auto &byName : std::as_const(uploads)) {
        for (MusubiUpload *upload : byName)
            doomed.append(upload);
    }
    streams.clear();
    uploads.clear();
    wire.clear();
    treeCache.reset();
    revision = 0;
    if (!removed.isEmpty()) {
        QList<QJsonArray> ids;
        for (const QStringList &id : std::as_const(removed))
            ids.append(QJsonArray::fromStringList(id));
        Q_EMIT q->storesRemoved(ids);
    }
    if (oldRoot)
        Q_EMIT q->rootStoreChanged();
    for (QObject *object : std::as_const(doomed))
        object->deleteLater();
}

} // namespace Musubi::detail

MusubiStoreTree::MusubiStoreTree(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<StoreTreePrivate>(this))
{ }

MusubiStoreTree::~MusubiStoreTree()
{
    // Children (stores, models, uploads) are deleted by QObject; mark stores dead first so
    // that nothing reaches back into the private part while it goes away.
    for (MusubiStore *store : std::as_const(d->stores))
        store->m_alive = false;
}

std::optional<MusubiPatchError> MusubiStoreTree::apply(const QJsonObject &envelope)
{
    return d->apply(envelope);
}

QJsonObject MusubiStoreTree::tree() const
{
    if (!d->wire.hasRoot())
        return {};
    if (!d->treeCache)
        d->treeCache = d->wire.root().toJson().toObject();
    return *d->treeCache;
}

bool MusubiStoreTree::hasTree() const
{
    return d->wire.hasRoot();
}

MusubiStore *MusubiStoreTree::rootStore() const
{
    return d->stores.value(QStringList());
}

MusubiStore *MusubiStoreTree::store(const QJsonArray &storeId) const
{
    return d->stores.value(StoreTreePrivate::toStringList(storeId));
}

QList<QJsonArray> MusubiStoreTree::storeIds() const
{
    QList<QStringList> ids = d->stores.keys();
    std::sort(ids.begin(), ids.end(), StoreTreePrivate::parentsFirst);
    QList<QJsonArray> out;
    out.reserve(ids.size());
    for (const QStringList &id : std::as_const(ids))
        out.append(QJsonArray::fromStringList(id));
    return out;
}

MusubiStreamModel *MusubiStoreTree::stream(const QJsonArray &storeId, const QString &name) const
{
    return d->streams.value(StoreTreePrivate::toStringList(storeId)).value(name);
}

QList<MusubiStreamModel *> MusubiStoreTree::streams() const
{
    QList<MusubiStreamModel *> out;
    for (const auto &byName : std::as_const(d->streams))
        out.append(byName.values());
    return out;
}

MusubiUpload *MusubiStoreTree::upload(const QJsonArray &storeId, const QString &name) const
{
    return d->uploads.value(StoreTreePrivate::toStringList(storeId)).value(name);
}

QList<MusubiUpload *> MusubiStoreTree::uploads() const
{
    QList<MusubiUpload *> out;
    for (const auto &byName : std::as_const(d->uploads))
        out.append(byName.values());
    return out;
}

QJsonValue MusubiStoreTree::resolvedState() const
{
    if (!d->wire.hasRoot())
        return QJsonValue(QJsonValue::Undefined);
    return d->resolveJson(d->wire.root(), QStringList());
}

QJsonValue MusubiStoreTree::resolvedState(const QJsonArray &storeId) const
{
    const QStringList id = StoreTreePrivate::toStringList(storeId);
    const WireNodePtr node = d->wire.index().value(id);
    if (!node)
        return QJsonValue(QJsonValue::Undefined);
    WireValue value;
    value.node = node;
    return d->resolveJson(value, id);
}

quint64 MusubiStoreTree::revision() const
{
    return d->revision;
}

void MusubiStoreTree::clear()
{
    d->clear();
}

void MusubiStoreTree::setPlainValues(PlainValues values)
{
    d->plainValues = values;
}

MusubiStoreTree::PlainValues MusubiStoreTree::plainValues() const
{
    return d->plainValues;
}

void MusubiStoreTree::setCommandDispatcher(CommandDispatcher dispatcher)
{
    d->dispatcher = std::move(dispatcher);
}

QFuture<QJsonValue> MusubiStoreTree::dispatch(const QJsonArray &storeId, const QString &name,
                                              const QJsonObject &payload)
{
    if (d->dispatcher)
        return d->dispatcher(storeId, name, payload);
    return Musubi::detail::failedCommand(MusubiCommandError(
            MusubiCommandError::Kind::NotConnected, name, storeId,
            QJsonValue(QJsonValue::Undefined), u"no connection to send the command through"_s));
}
