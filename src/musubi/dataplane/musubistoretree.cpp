// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubistoretree.h"

#include "musubiasync.h"
#include "musubicommanderror.h"
#include "musubicommanderror_p.h"
#include "musubistore.h"
#include "musubistore_p.h"
#include "musubistorelistmodel.h"
#include "musubistoretree_p.h"
#include "musubistreammodel.h"
#include "musubistreamop_p.h"
#include "musubiupload.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QPointer>

#include <algorithm>

using namespace Qt::StringLiterals;

/*!
    \class MusubiPatchError
    \inmodule MusubiCore
    \inheaderfile musubistoretree.h
    \brief Why an envelope was refused by MusubiStoreTree::apply().

    \c section is \c "ops", \c "stream_ops" or \c "upload_ops"; \c opIndex is the index of
    the offending element in that section (-1 when the section itself is not an array);
    \c path is the op's JSON pointer (the stream name for a stream op); \c message says what
    was wrong. A missing section counts as empty.
*/

/*!
    \variable MusubiPatchError::section
    \brief The envelope section of the offending op: \c ops, \c stream_ops or \c upload_ops.
*/

/*!
    \variable MusubiPatchError::opIndex
    \brief The index of the offending op in its section, or -1 when the section is not an array.
*/

/*!
    \variable MusubiPatchError::path
    \brief The JSON pointer of the offending op (the stream name for a stream op).
*/

/*!
    \variable MusubiPatchError::message
    \brief What was wrong.
*/

/*!
    \class MusubiStoreTree
    \inmodule MusubiCore
    \inheaderfile musubistoretree.h
    \brief The data plane of one root: the wire tree, its stores, streams and upload handles.

    apply() takes a patch envelope (docs/protocol.md §4) and applies \c ops, \c stream_ops and
    \c upload_ops atomically: if anything is wrong nothing visible changes and the error is
    returned. Version and type checks are the caller's job.

    The cost of an envelope grows with the size of the patch and the depth of its paths,
    not with the size of the tree: the tree is held in an internal node structure that is
    mutated in place (with an undo log for atomicity), and the store index is maintained
    incrementally from the subtrees the ops touch.

    Order of effects of an accepted envelope, all after every op of every section has been
    applied: keys of the existing store objects are written (QML bindings re-evaluate for
    changed keys only), MusubiStoreListModel rows are inserted, removed and moved, stream
    models emit their row signals, upload ops reach their handles, stores that got new keys
    emit MusubiStore::keysChanged(), each affected store object emits MusubiStore::changed()
    once (parents first), the objects of vanished stores emit MusubiStore::aliveChanged(),
    then storesRemoved(), storesAdded(), rootStoreChanged() and storesChanged(); objects of
    vanished stores are deleted later.

    Store objects are made on demand (store(), a parent's field, a MusubiStoreListModel
    row); a store nobody asked for costs its wire node only and is listed by storeIds()
    and by the signals above like any other. See MusubiStore.

    An existing store is affected (emits MusubiStore::changed()) when its subtree differs
    by value from before the envelope (an identical \c{replace ""} or a value changed and
    changed back within the envelope notifies nobody), when a stream or upload op names
    exactly this store (not its parents, as in the reference runtime), or when it is the
    nearest store of an op that added or removed store nodes. storesChanged() lists those
    stores and, in addition, every store that appeared with the envelope; see
    MusubiRoot::storesChanged() for the rule in full.

    Object ownership: every MusubiStore, MusubiStreamModel and MusubiUpload is a child of
    this tree (C++ ownership; QML never deletes an object with a parent). When a store
    node vanishes its store, streams and uploads are removed from the tree's tables at once
    and deleted with deleteLater(); QML references to them turn into \c null when the
    object is destroyed.

    \sa MusubiStore, MusubiStreamModel, MusubiUpload
*/

/*!
    \typealias MusubiStoreTree::CommandDispatcher

    A function that sends the command \c name with \c payload for the store
    \c storeId and returns the future of its reply; set by the runtime
    (MusubiRoot) with setCommandDispatcher().
*/

/*!
    \property MusubiStoreTree::rootStore
    \brief the root store (store id \c []), or null before the first envelope.
*/

/*!
    \enum MusubiStoreTree::PlainValues

    How plain (marker-free) objects and arrays reach MusubiStore values.

    \value VariantContainers QVariantMap and QVariantList (the default).
    \value JsonContainers QJsonObject and QJsonArray: shared with the tree, O(1) to expose.
*/

/*!
    \fn void MusubiStoreTree::storesChanged(const QList<QJsonArray> &storeIds)

    Once per accepted envelope, after every MusubiStore::changed(): the stores that
    exist after the envelope and appeared with it or changed in it, whether or not their
    objects exist (every store object whose changed() fired is listed, plus stores
    without an object that changed by the same rule, plus every id of storesAdded()),
    parents first. Vanished stores are not listed (see storesRemoved()). Not emitted when
    the list is empty. The rule in full: MusubiRoot::storesChanged(). \a storeIds are the
    ids.
*/

/*!
    \fn void MusubiStoreTree::rootStoreChanged()

    Emitted when the root store appears or goes away.
*/

/*!
    \fn void MusubiStoreTree::storesAdded(const QList<QJsonArray> &storeIds)

    Emitted once per accepted envelope with the ids (\a storeIds) of the
    stores that appeared with it. Their objects are made on demand: store() makes one,
    showing the current state.
*/

/*!
    \fn void MusubiStoreTree::storesRemoved(const QList<QJsonArray> &storeIds)

    Emitted once per accepted envelope with the ids (\a storeIds) of the
    stores that vanished with it, whether or not their objects existed; an
    object that existed is already detached (MusubiStore::isAlive() is
    \c false) and is deleted later.
*/
using Musubi::detail::StorePrivate;
using Musubi::detail::StoreTreePrivate;
using Musubi::detail::StreamOp;
using Musubi::detail::WireNode;
using Musubi::detail::WireNodePtr;
using Musubi::detail::WireValue;

Q_LOGGING_CATEGORY(lcMusubiPatch, "musubi.patch")

static const QLatin1StringView kStoreIdKey("__musubi_store_id__");

/*!
    One line for logs: \c{ops[2] "/a/b": index 7 out of range}.
*/
QString MusubiPatchError::toString() const
{
    return u"%1[%2] \"%3\": %4"_s.arg(section).arg(opIndex).arg(path, message);
}

namespace Musubi::detail {

StoreTreePrivate::StoreTreePrivate(MusubiStoreTree *q)
    : q(q)
{
    // Stores without an object have no old values to compare with: keep the old value of
    // each field an op is about to edit (first edit per envelope only).
    // The value is read from the indexed copy of the store (the one its readers see; a
    // hostile server may render an id twice and edit the other copy).
    wire.setFieldObserver([this](const WireNode &edited, const QString &token) {
        if (stores.contains(edited.storeId))
            return;
        const auto key = std::pair{edited.storeId, token};
        if (fieldsBefore.contains(key))
            return;
        const WireNode *store = wire.storeNode(edited.storeId);
        QJsonValue before(QJsonValue::Undefined);
        if (store) {
            const auto member = store->members().constFind(token);
            if (member != store->members().constEnd())
                before = member->toJson();
        }
        fieldsBefore.insert(key, before);
    });
}

bool StoreTreePrivate::parentsFirst(const QStringList &a, const QStringList &b)
{
    if (a.size() != b.size())
        return a.size() < b.size();
    // QStringList's operator< in an inlined loop: it sorts thousands of ids per mount.
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QString &x = a.at(i);
        const QString &y = b.at(i);
        if (x.constData() == y.constData() && x.size() == y.size())
            continue;
        const qsizetype n = std::min(x.size(), y.size());
        const char16_t *p = reinterpret_cast<const char16_t *>(x.constData());
        const char16_t *q = reinterpret_cast<const char16_t *>(y.constData());
        for (qsizetype k = 0; k < n; ++k) {
            if (p[k] != q[k])
                return p[k] < q[k];
        }
        if (x.size() != y.size())
            return x.size() < y.size();
    }
    return false;
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
        return QVariant::fromValue<QObject *>(materialise(node->storeId));
    case WireNode::Marker::StreamSlot:
        return QVariant::fromValue<QObject *>(streamModel(owner, node->slotName, true));
    case WireNode::Marker::UploadSlot:
        return QVariant::fromValue<QObject *>(uploadHandle(owner, node->slotName, true));
    case WireNode::Marker::Async: {
        // The marker predicate admitted only the three wire strings (musubiwiretree.cpp).
        const auto status =
                MusubiAsync::statusFromWire(node->members().value("status"_L1).scalar.toString());
        QVariantMap map;
        map.insert(u"status"_s, QVariant::fromValue(status.value_or(MusubiAsync::Status::Loading)));
        map.insert(u"data"_s, resolve(node->members().value("result"_L1), owner));
        map.insert(u"error"_s, node->members().value("reason"_L1).toJson().toVariant());
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
    for (auto it = node->members().constBegin(); it != node->members().constEnd(); ++it)
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
        if (node->isLazy()) // no marker below it: the readable view is the node itself
            return node->rawObject();
        QJsonObject object;
        object.insert(kStoreIdKey, QJsonArray::fromStringList(node->storeId));
        for (auto it = node->members().constBegin(); it != node->members().constEnd(); ++it) {
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
        object.insert("status"_L1, node->members().value("status"_L1).scalar);
        object.insert("data"_L1, resolveJson(node->members().value("result"_L1), owner));
        object.insert("error"_L1, node->members().value("reason"_L1).toJson());
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
    for (auto it = node->members().constBegin(); it != node->members().constEnd(); ++it)
        object.insert(it.key(), resolveJson(it.value(), owner));
    return object;
}

MusubiStore *StoreTreePrivate::materialise(const QStringList &id)
{
    if (MusubiStore *store = stores.value(id))
        return store;
    const WireNode *node = wire.storeNode(id);
    if (!node)
        return nullptr;
    auto *store = new MusubiStore(q, id);
    StorePrivate::get(store)->born = revision;
    stores.insert(id, store);
    writeFields(store, node, nullptr, true);
    return store;
}

// The ids of \a value when it is a non-empty array of store nodes only (later duplicates
// left out); false otherwise.
static bool storeListIds(const WireValue &value, QList<QStringList> *ids)
{
    const WireNode *node = value.node.get();
    if (!node || !node->isArray || node->marker != WireNode::Marker::None || node->items.isEmpty())
        return false;
    ids->reserve(node->items.size());
    QSet<QStringList> seen;
    seen.reserve(node->items.size());
    for (const WireValue &item : node->items) {
        if (!item.node || !item.node->isStore())
            return false;
        if (seen.contains(item.node->storeId)) {
            qCWarning(lcMusubiPatch) << "store" << item.node->storeId
                                     << "is listed twice in one list; showing it once";
            continue;
        }
        seen.insert(item.node->storeId);
        ids->append(item.node->storeId);
    }
    return true;
}

static bool isEmptyArray(const WireValue &value)
{
    if (value.node)
        return value.node->isArray && value.node->items.isEmpty();
    return value.scalar.isArray() && value.scalar.toArray().isEmpty();
}

MusubiStoreListModel *StoreTreePrivate::listField(const QStringList &owner, const QString &key,
                                                  const WireValue &value, bool *rowsChanged)
{
    const bool isArray = value.node ? value.node->isArray : value.scalar.isArray();
    if (!isArray) {
        if (!lists.isEmpty())
            dropListField(owner, key);
        return nullptr;
    }
    QList<QStringList> ids;
    const bool isList = storeListIds(value, &ids);
    const auto ownerIt = lists.find(owner);
    MusubiStoreListModel *model = ownerIt == lists.end() ? nullptr : ownerIt.value().value(key);
    if (!isList && !(model && isEmptyArray(value))) {
        if (model) // the field no longer holds a list of stores: its model goes
            dropListField(owner, key);
        return nullptr;
    }
    if (!model) {
        model = new MusubiStoreListModel(q, owner, key);
        model->initRowIds(ids);
        lists[owner].insert(key, model);
        return model;
    }
    if (model->rowStoreIds() != ids) {
        *rowsChanged = true;
        if (inApply)
            pendingLists.append({QPointer<MusubiStoreListModel>(model), ids});
        else
            model->setRowIds(ids);
    }
    return model;
}

void StoreTreePrivate::writeFields(MusubiStore *store, const WireNode *node,
                                   const QSet<QString> *fields, bool fresh)
{
    QVariantHash changes;
    const QStringList &owner = StorePrivate::get(store)->storeId;
    auto consider = [&](const QString &key, const WireValue &value) {
        if (isReservedKey(key))
            return;
        bool rowsChanged = false;
        QVariant next;
        if (MusubiStoreListModel *model = listField(owner, key, value, &rowsChanged))
            next = QVariant::fromValue<QObject *>(model);
        else
            next = resolve(value, owner);
        if (rowsChanged && !fresh)
            writtenKeys[owner].insert(key);
        if (fresh || !store->contains(key) || store->value(key) != next) {
            changes.insert(key, next);
            if (!fresh)
                writtenKeys[owner].insert(key);
        }
    };
    if (!fields) {
        changes.reserve(node->members().size());
        for (auto it = node->members().constBegin(); it != node->members().constEnd(); ++it)
            consider(it.key(), it.value());
        if (!fresh) {
            const QStringList existing = store->keys();
            for (const QString &key : existing) {
                if (!node->members().contains(key) && store->value(key).isValid()) {
                    dropListField(owner, key);
                    store->clear(key);
                    writtenKeys[owner].insert(key);
                }
            }
        }
    } else {
        for (const QString &key : *fields) {
            const auto it = node->members().constFind(key);
            if (it != node->members().constEnd())
                consider(key, it.value());
            else if (!isReservedKey(key) && store->value(key).isValid()) {
                dropListField(owner, key);
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
        StorePrivate::get(store)->alive = false;
        doomed->append(store);
    }
    const auto streamsOfStore = streams.take(storeId);
    for (MusubiStreamModel *model : streamsOfStore)
        doomed->append(model);
    const auto uploadsOfStore = uploads.take(storeId);
    for (MusubiUpload *upload : uploadsOfStore)
        doomed->append(upload);
    const auto listsOfStore = lists.take(storeId);
    for (MusubiStoreListModel *model : listsOfStore)
        doomed->append(model);
}

void StoreTreePrivate::dropListField(const QStringList &owner, const QString &key)
{
    const auto it = lists.find(owner);
    if (it == lists.end())
        return;
    if (MusubiStoreListModel *model = it.value().take(key))
        model->deleteLater();
    if (it.value().isEmpty())
        lists.erase(it);
}

// --- apply(), one named step after the other -------------------------------------

namespace {

std::optional<MusubiPatchError> refuse(MusubiPatchError error)
{
    qCWarning(lcMusubiPatch).noquote() << "refused envelope:" << error.toString();
    return error;
}

// The store id of \a node as JSON: the node's own id array when it is one (shared, O(1)),
// else built from \a id.
QJsonArray jsonIdOf(const WireNode *node, const QStringList &id)
{
    // A node that left the tree may since carry another id (edited in place): only a node
    // that still is \a id can lend its array.
    if (node && node->storeId == id) {
        QJsonArray json = node->storeIdJson();
        if (json.size() == id.size()) // the id array is plain (not edited into a node)
            return json;
    }
    return QJsonArray::fromStringList(id);
}

bool idsParentsFirst(const ApplyRun::Id &a, const ApplyRun::Id &b)
{
    return StoreTreePrivate::parentsFirst(a.id, b.id);
}

QList<QJsonArray> toJsonIds(const QList<QStringList> &ids)
{
    QList<QJsonArray> out;
    out.reserve(ids.size());
    for (const QStringList &id : ids)
        out.append(QJsonArray::fromStringList(id));
    return out;
}

} // namespace

// The three sections of an envelope; a missing one is empty (upload_ops before 0.3.0).
std::optional<MusubiPatchError> StoreTreePrivate::readSections(const QJsonObject &envelope,
                                                               ApplyRun &run)
{
    for (auto [name, out] :
         {std::pair{"ops"_L1, &run.ops}, std::pair{"stream_ops"_L1, &run.streamOps},
          std::pair{"upload_ops"_L1, &run.uploadOps}}) {
        const QJsonValue value = envelope.value(name);
        if (value.isUndefined() || value.isNull())
            continue;
        if (!value.isArray())
            return refuse({name, -1, QString(), u"not an array"_s});
        *out = value.toArray();
    }
    return std::nullopt;
}

// Step 1: the ops, in place with an undo log; records which store fields they touched.
std::optional<MusubiPatchError> StoreTreePrivate::applyOps(ApplyRun &run)
{
    fieldsBefore.clear();
    for (qsizetype i = 0; i < run.ops.size(); ++i) {
        OpEffect effect;
        if (auto error = wire.applyOp(run.ops.at(i), &effect)) {
            wire.rollback();
            return refuse({u"ops"_s, int(i), error->path, error->message});
        }
        if (!effect.changed)
            continue;
        run.anyOpChanged = true;
        if (!effect.storePath.isEmpty())
            run.dirtyFields[effect.storePath.last().storeId].insert(effect.storePath.last().token);
        if (effect.identityChangedAt >= 0) {
            // The field holding an object that changed store identity is rewritten in the
            // store above it.
            for (qsizetype s = effect.storePath.size() - 1; s >= 0; --s) {
                const OpEffect::Step &step = effect.storePath.at(s);
                if (step.depth < effect.identityChangedAt) {
                    run.dirtyFields[step.storeId].insert(step.token);
                    break;
                }
            }
        }
        run.effects.append(std::move(effect));
    }
    return std::nullopt;
}

// Step 2: stream ops (strictly) and upload ops (leniently, one by one, docs/protocol.md §8.2)
// are decoded before anything becomes visible.
std::optional<MusubiPatchError> StoreTreePrivate::decodeSideOps(ApplyRun &run)
{
    run.decodedStreamOps.reserve(run.streamOps.size());
    for (qsizetype i = 0; i < run.streamOps.size(); ++i) {
        QString message;
        auto op = StreamOp::decode(run.streamOps.at(i), &message);
        if (!op) {
            wire.rollback();
            return refuse({u"stream_ops"_s, int(i),
                           run.streamOps.at(i).toObject().value("stream"_L1).toString(), message});
        }
        run.decodedStreamOps.append(std::move(*op));
    }
    for (qsizetype i = 0; i < run.uploadOps.size(); ++i) {
        const QJsonObject op = run.uploadOps.at(i).toObject();
        const QJsonValue name = op.value("upload"_L1);
        const QJsonValue storeId = op.value("store_id"_L1);
        if (!name.isString() || !(storeId.isArray() || storeId.isUndefined())) {
            qCWarning(lcMusubiPatch) << "skipping malformed upload op" << i << op;
            continue;
        }
        run.decodedUploadOps.append(
                ApplyRun::UploadOp{toStringList(storeId.toArray()), name.toString(), op});
    }
    return std::nullopt;
}

// Step 3: commit, then compare the store index before and after: stores that appeared,
// vanished, or whose node differs by value (those are rewritten field by field).
void StoreTreePrivate::diffStoreIndex(ApplyRun &run)
{
    run.indexBefore = wire.commit(&run.fresh);
    ++revision;
    if (run.anyOpChanged || !run.hadRoot)
        treeCache.reset();
    const auto &index = wire.index();
    bool addedSorted = false;
    if (run.fresh) {
        // A mount: every indexed store is new. Listed shorter ids first, and ids of one
        // length in tree order (the order the server rendered them: no string sorting of
        // thousands of ids); if a store left again within the envelope, by segments.
        bool mayHaveLeft = false;
        const QList<WireNodePtr> order = wire.takeFreshOrder(&mayHaveLeft);
        run.added.reserve(index.size());
        if (!mayHaveLeft && order.size() == index.size()) {
            for (const WireNodePtr &node : order)
                run.added.append({node->storeId, jsonIdOf(node.get(), node->storeId)});
            std::stable_sort(run.added.begin(), run.added.end(),
                             [](const ApplyRun::Id &a, const ApplyRun::Id &b) {
                                 return a.id.size() < b.id.size();
                             });
            addedSorted = true;
        } else {
            for (auto it = index.constBegin(); it != index.constEnd(); ++it)
                run.added.append({it.key(), jsonIdOf(it.value().get(), it.key())});
        }
    }
    for (auto it = run.indexBefore.constBegin(); it != run.indexBefore.constEnd(); ++it) {
        const auto nowIt = index.constFind(it.key());
        const WireNodePtr &now = nowIt == index.constEnd() ? it.value() : nowIt.value();
        const bool exists = nowIt != index.constEnd();
        const bool known = bool(it.value());
        if (exists && !known) {
            run.added.append({it.key(), jsonIdOf(now.get(), it.key())});
        } else if (!exists && known) {
            run.removed.append({it.key(), jsonIdOf(it.value().get(), it.key())});
        } else if (exists && known && now != it.value()) {
            WireValue a, b;
            a.node = it.value();
            b.node = now;
            if (!WireValue::equal(a, b))
                run.rewrite.insert(it.key());
        }
    }
    if (!addedSorted)
        std::sort(run.added.begin(), run.added.end(), idsParentsFirst);
    std::sort(run.removed.begin(), run.removed.end(), idsParentsFirst);
}

// Step 4: store objects: prune the vanished, write the fields of existing objects that may
// have changed. New stores get no object until someone asks (materialise()); a parent
// field that holds one makes it, with the current state.
void StoreTreePrivate::writeStores(ApplyRun &run)
{
    for (const ApplyRun::Id &id : std::as_const(run.removed))
        prune(id.id, &run.doomed);
    for (const QStringList &id : std::as_const(run.rewrite)) {
        if (MusubiStore *store = stores.value(id))
            writeFields(store, wire.storeNode(id), nullptr, false);
    }
    for (auto it = run.dirtyFields.constBegin(); it != run.dirtyFields.constEnd(); ++it) {
        if (run.rewrite.contains(it.key()))
            continue;
        MusubiStore *store = stores.value(it.key());
        const WireNode *node = wire.storeNode(it.key());
        if (store && node)
            writeFields(store, node, &it.value(), false);
    }
}

// Step 5: which stores changed by value. An op that only edited plain data counts when its
// store's field really ended up different (a value changed and changed back inside the
// envelope notifies nobody); ops that added or removed store nodes always count (their
// stores were compared node by node in step 3).
void StoreTreePrivate::collectChanged(ApplyRun &run)
{
    // Fields of stores without an object: compared with their value before the envelope.
    QHash<std::pair<QStringList, QString>, bool> differs;
    const auto fieldDiffers = [&](const QStringList &storeId, const QString &token,
                                  const QJsonValue &before) {
        const auto key = std::pair{storeId, token};
        const auto known = differs.constFind(key);
        if (known != differs.constEnd())
            return known.value();
        const WireNode *node = wire.storeNode(storeId);
        QJsonValue now(QJsonValue::Undefined);
        if (node) {
            const auto member = node->members().constFind(token);
            if (member != node->members().constEnd())
                now = member->toJson();
        }
        const bool result = now != before;
        differs.insert(key, result);
        return result;
    };
    for (const OpEffect &effect : std::as_const(run.effects)) {
        if (effect.storePath.isEmpty())
            continue;
        const OpEffect::Step &nearest = effect.storePath.last();
        bool real = effect.touchedStores || effect.identityChangedAt >= 0
                || run.rewrite.contains(nearest.storeId)
                || isReservedKey(nearest.token); // not exposed as a key, still a change
        if (!real) {
            const auto before = fieldsBefore.constFind(std::pair{nearest.storeId, nearest.token});
            if (before == fieldsBefore.constEnd()) {
                real = writtenKeys.value(nearest.storeId).contains(nearest.token);
            } else if (!run.fresh && run.indexBefore.contains(nearest.storeId)) {
                // The store's node itself was replaced in this envelope, so the snapshot may
                // postdate it: the node comparison of diffStoreIndex() (run.rewrite) decides.
                real = false;
            } else {
                real = fieldDiffers(nearest.storeId, nearest.token, before.value());
            }
        }
        if (!real)
            continue;
        for (const OpEffect::Step &step : effect.storePath)
            run.changed.insert(step.storeId);
    }
    lastWrittenKeys = std::move(writtenKeys);
    writtenKeys.clear();
    fieldsBefore.clear();
    run.changed.unite(run.rewrite);
}

// Step 4b: list models of store-list fields turn into their new rows (row signals), after
// every key of the envelope is written.
void StoreTreePrivate::applyListUpdates()
{
    const auto pending = std::exchange(pendingLists, {});
    for (const auto &[model, ids] : pending) {
        if (model)
            model->setRowIds(ids);
    }
}

// Step 6: stream ops grouped per (store, stream) keep their order, then upload ops. Ops for
// a store that is not in the tree would be pruned right away, so they are dropped. The
// store an op names counts as changed (that store only, not its parents).
void StoreTreePrivate::applySideOps(ApplyRun &run)
{
    QList<std::pair<QStringList, QString>> streamOrder;
    QHash<std::pair<QStringList, QString>, QList<StreamOp>> streamGroups;
    for (const StreamOp &op : std::as_const(run.decodedStreamOps)) {
        if (!wire.index().contains(op.storeId)) {
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
        run.changed.insert(op.storeId);
    }
    for (const auto &key : std::as_const(streamOrder))
        streamModel(key.first, key.second, true)->applyOps(streamGroups.value(key));

    for (const ApplyRun::UploadOp &op : std::as_const(run.decodedUploadOps)) {
        if (!wire.index().contains(op.storeId))
            continue;
        uploadHandle(op.storeId, op.name, true)->applyOp(op.op);
        run.changed.insert(op.storeId);
    }
}

// Step 7: the signals, once, after everything is in place (order documented on
// MusubiStoreTree). changed() goes to existing stores that changed; the outcome lists those
// and every store that appeared (an index entry that was absent and now exists differs, as
// in the reference runtime's notifySubscribers()). Parents first, like the server flushes.
void StoreTreePrivate::notify(ApplyRun &run, ApplyOutcome &outcome)
{
    // Stores that existed before and after the envelope and changed in it.
    QList<ApplyRun::Id> changedIds;
    const auto &index = wire.index();
    for (const QStringList &id : std::as_const(run.changed)) {
        const auto now = index.constFind(id);
        if (now == index.constEnd())
            continue;
        const auto before = run.indexBefore.constFind(id);
        if (run.fresh || (before != run.indexBefore.constEnd() && !before.value()))
            continue; // appeared: listed with the added ones
        changedIds.append({id, jsonIdOf(now.value().get(), id)});
    }
    std::sort(changedIds.begin(), changedIds.end(), idsParentsFirst);
    // changed() goes to objects that existed before the envelope; one made during it
    // (by a parent's field or by a view reading a new row) already shows its state.
    QList<MusubiStore *> notified;
    for (const ApplyRun::Id &id : std::as_const(changedIds)) {
        MusubiStore *store = stores.value(id.id);
        if (store && StorePrivate::get(store)->born < revision)
            notified.append(store);
    }
    QList<ApplyRun::Id> listed;
    listed.reserve(changedIds.size() + run.added.size());
    std::merge(changedIds.cbegin(), changedIds.cend(), run.added.cbegin(), run.added.cend(),
               std::back_inserter(listed), idsParentsFirst);
    const auto json = [](const QList<ApplyRun::Id> &ids) {
        QList<QJsonArray> out;
        out.reserve(ids.size());
        for (const ApplyRun::Id &id : ids)
            out.append(id.json);
        return out;
    };
    outcome.changed = json(listed);
    outcome.added = json(run.added);
    outcome.removed = json(run.removed);

    for (MusubiStore *store : std::as_const(keysAdded)) {
        if (StorePrivate::get(store)->alive)
            Q_EMIT store->keysChanged();
    }
    keysAdded.clear();
    for (MusubiStore *store : std::as_const(notified)) {
        ++StorePrivate::get(store)->revision;
        Q_EMIT store->changed();
    }
    for (QObject *object : std::as_const(run.doomed)) {
        if (auto *store = qobject_cast<MusubiStore *>(object))
            Q_EMIT store->aliveChanged();
    }
    if (!outcome.removed.isEmpty())
        Q_EMIT q->storesRemoved(outcome.removed);
    if (!outcome.added.isEmpty())
        Q_EMIT q->storesAdded(outcome.added);
    if (wire.index().contains(QStringList()) != run.hadRootStore)
        Q_EMIT q->rootStoreChanged();
    if (!outcome.changed.isEmpty())
        Q_EMIT q->storesChanged(outcome.changed);
    for (QObject *object : std::as_const(run.doomed))
        object->deleteLater();
}

ApplyOutcome StoreTreePrivate::apply(const QJsonObject &envelope)
{
    ApplyOutcome outcome;
    ApplyRun run;
    if ((outcome.error = readSections(envelope, run)))
        return outcome;
    wire.begin();
    run.hadRoot = wire.hasRoot();
    run.hadRootStore = wire.index().contains(QStringList());
    if ((outcome.error = applyOps(run)) || (outcome.error = decodeSideOps(run)))
        return outcome;
    // From here on nothing can fail.
    diffStoreIndex(run);
    inApply = true;
    writeStores(run);
    inApply = false;
    applyListUpdates();
    collectChanged(run);
    applySideOps(run);
    outcome.events = envelope.value("events"_L1).toArray();
    notify(run, outcome);
    return outcome;
}

// Calls \a notify on every upload handle; one that an earlier call destroyed is skipped.
void StoreTreePrivate::notifyUploads(void (MusubiUpload::*notify)())
{
    QList<QPointer<MusubiUpload>> all;
    for (const auto &byName : std::as_const(uploads)) {
        for (MusubiUpload *upload : byName)
            all.append(upload);
    }
    for (const QPointer<MusubiUpload> &upload : std::as_const(all)) {
        if (upload)
            (upload.data()->*notify)();
    }
}

void StoreTreePrivate::uploadsConnectionLost()
{
    notifyUploads(&MusubiUpload::connectionLost);
}

void StoreTreePrivate::uploadsRemounted()
{
    notifyUploads(&MusubiUpload::remounted);
}

void StoreTreePrivate::clear()
{
    const bool hadRootStore = wire.index().contains(QStringList());
    QList<QStringList> removed = wire.index().keys();
    std::sort(removed.begin(), removed.end(), parentsFirst);
    QList<QObject *> doomed;
    for (const QStringList &id : std::as_const(removed))
        prune(id, &doomed);
    for (const auto &byName : std::as_const(lists)) {
        for (MusubiStoreListModel *model : byName)
            doomed.append(model);
    }
    lists.clear();
    pendingLists.clear();
    fieldsBefore.clear();
    lastWrittenKeys.clear();
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
    for (QObject *object : std::as_const(doomed)) {
        if (auto *store = qobject_cast<MusubiStore *>(object))
            Q_EMIT store->aliveChanged();
    }
    if (!removed.isEmpty())
        Q_EMIT q->storesRemoved(toJsonIds(removed));
    if (hadRootStore)
        Q_EMIT q->rootStoreChanged();
    for (QObject *object : std::as_const(doomed))
        object->deleteLater();
}

} // namespace Musubi::detail

/*!
    Constructs an empty tree with the given \a parent.
*/
MusubiStoreTree::MusubiStoreTree(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<StoreTreePrivate>(this))
{ }

MusubiStoreTree::~MusubiStoreTree()
{
    // Children (stores, models, uploads) are deleted by QObject; mark stores dead first so
    // that nothing reaches back into the private part while it goes away.
    for (MusubiStore *store : std::as_const(d->stores))
        StorePrivate::get(store)->alive = false;
}

/*!
    Applies \c ops, \c stream_ops and \c upload_ops of \a envelope atomically.
    Returns the error and changes nothing if any of them is invalid.
*/
std::optional<MusubiPatchError> MusubiStoreTree::apply(const QJsonObject &envelope)
{
    return d->apply(envelope).error;
}

/*!
    The raw wire tree (markers intact, no stream items); empty before the first envelope.
    Built on demand and cached until the next accepted envelope: O(tree) on first call.
*/
QJsonObject MusubiStoreTree::tree() const
{
    if (!d->wire.hasRoot())
        return {};
    if (!d->treeCache)
        d->treeCache = d->wire.root().toJson().toObject();
    return *d->treeCache;
}

/*!
    Returns \c true once an envelope produced a root value.
*/
bool MusubiStoreTree::hasTree() const
{
    return d->wire.hasRoot();
}

/*!
    The root store (store id \c []), or nullptr before the first envelope.
*/
MusubiStore *MusubiStoreTree::rootStore() const
{
    return d->materialise(QStringList());
}

/*!
    The store with \a storeId (array of strings), or nullptr when the tree has no such
    store. Store objects are made on demand: the first call for an id makes the object,
    showing the current state; later calls return the same object for as long as the
    store exists.

    \sa existingStore(), contains()
*/
MusubiStore *MusubiStoreTree::store(const QJsonArray &storeId) const
{
    return d->materialise(StoreTreePrivate::toStringList(storeId));
}

/*!
    The object of the store \a storeId if someone already asked for it (store(), a
    parent's field, a list model row), or nullptr; never makes one.
*/
MusubiStore *MusubiStoreTree::existingStore(const QJsonArray &storeId) const
{
    return d->stores.value(StoreTreePrivate::toStringList(storeId));
}

/*!
    Returns \c true when the tree holds a store with \a storeId, whether or not its
    object was made.
*/
bool MusubiStoreTree::contains(const QJsonArray &storeId) const
{
    return d->wire.index().contains(StoreTreePrivate::toStringList(storeId));
}

/*!
    The ids of all stores of the tree (made or not), parents first (shorter ids first,
    then by segments).
*/
QList<QJsonArray> MusubiStoreTree::storeIds() const
{
    QList<QStringList> ids = d->wire.index().keys();
    std::sort(ids.begin(), ids.end(), StoreTreePrivate::parentsFirst);
    return Musubi::detail::toJsonIds(ids);
}

/*!
    The model of stream \a name of store \a storeId, or nullptr if neither a slot of the
    store nor a stream op has named it yet. Makes the store's object (see store()).
*/
MusubiStreamModel *MusubiStoreTree::stream(const QJsonArray &storeId, const QString &name) const
{
    const QStringList id = StoreTreePrivate::toStringList(storeId);
    d->materialise(id);
    return d->streams.value(id).value(name);
}

/*!
    Returns every stream model made so far: those of stores whose object exists and those
    a stream op named.
*/
QList<MusubiStreamModel *> MusubiStoreTree::streams() const
{
    QList<MusubiStreamModel *> out;
    for (const auto &byName : std::as_const(d->streams))
        out.append(byName.values());
    return out;
}

/*!
    The upload handle \a name of store \a storeId, or nullptr. Makes the store's object
    (see store()).
*/
MusubiUpload *MusubiStoreTree::upload(const QJsonArray &storeId, const QString &name) const
{
    const QStringList id = StoreTreePrivate::toStringList(storeId);
    d->materialise(id);
    return d->uploads.value(id).value(name);
}

/*!
    Returns every upload handle made so far: those of stores whose object exists and
    those an upload op named.
*/
QList<MusubiUpload *> MusubiStoreTree::uploads() const
{
    QList<MusubiUpload *> out;
    for (const auto &byName : std::as_const(d->uploads))
        out.append(byName.values());
    return out;
}

/*!
    A readable view of the whole root: stream slots as item arrays, async values as
    \c{{status, data, error}} (\c status the wire string \c loading, \c ok or
    \c failed; the MusubiStore view holds a MusubiAsync::Status instead), upload slots as \c{{"__musubi_upload__": name}}.
*/
QJsonValue MusubiStoreTree::resolvedState() const
{
    if (!d->wire.hasRoot())
        return QJsonValue(QJsonValue::Undefined);
    return d->resolveJson(d->wire.root(), QStringList());
}

/*!
    The readable view of one store's subtree (see resolvedState()), or undefined.
*/
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

/*!
    Number of accepted envelopes since construction or clear().
*/
quint64 MusubiStoreTree::revision() const
{
    return d->revision;
}

/*!
    Unmount: prunes every store, stream and upload; tree() becomes empty.
*/
void MusubiStoreTree::clear()
{
    d->clear();
}

/*!
    Chooses how plain objects and arrays are exposed (\a values); set it before the first
    envelope (values already written keep their type until they change). QML sees
    JavaScript objects and arrays either way; JsonContainers avoids converting large
    plain data at mount time (see the benchmark's mount figures). Containers that hold
    markers (child stores, slots, async values) are always QVariantMap / QVariantList.
*/
void MusubiStoreTree::setPlainValues(PlainValues values)
{
    d->plainValues = values;
}

/*!
    Returns how plain objects and arrays are exposed.

    \sa setPlainValues()
*/
MusubiStoreTree::PlainValues MusubiStoreTree::plainValues() const
{
    return d->plainValues;
}

/*!
    Sets the function dispatch() sends commands through to \a dispatcher.
*/
void MusubiStoreTree::setCommandDispatcher(CommandDispatcher dispatcher)
{
    d->dispatcher = std::move(dispatcher);
}

/*!
    Sends the command \a name with \a payload for the store \a storeId
    through the dispatcher and returns the future of its reply; a failed
    future (MusubiCommandError, NotConnected) when no dispatcher is set.
*/
QFuture<QJsonValue> MusubiStoreTree::dispatch(const QJsonArray &storeId, const QString &name,
                                              const QJsonObject &payload)
{
    if (d->dispatcher)
        return d->dispatcher(storeId, name, payload);
    return Musubi::detail::failedCommand(MusubiCommandError(
            MusubiCommandError::Kind::NotConnected, name, storeId,
            QJsonValue(QJsonValue::Undefined), u"no connection to send the command through"_s));
}
